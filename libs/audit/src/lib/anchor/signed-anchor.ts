import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../integrity/canonical-json';
import type { AnchorSigningKey } from './anchor-key';

/** Head of one stream at an anchor: the revision and stored hash of its last event. */
export interface AnchoredHead {
  readonly revision: number;
  readonly hash: string | null;
}

/**
 * One line of an anchor log: a signed statement "at `createdAt`, $all ended at `headPosition`,
 * and these streams ended at these revisions with these hashes". Anchors are incremental: each
 * lists the streams whose head moved in `(fromPosition, headPosition]`, so taking one costs the
 * events since the last, not the whole store; together they state every stream's head at every
 * anchor. `sequence` and `previous` chain the log itself: a removed or reordered line breaks it.
 */
export interface SignedAnchor {
  readonly version: 2;
  /** 0 for the first anchor of a log, then +1 per line. */
  readonly sequence: number;
  /** {@link anchorDigest} of the previous line; null for sequence 0. */
  readonly previous: string | null;
  readonly createdAt: string;
  /** Exclusive lower bound of the events this anchor covers ($all position, decimal); null: from the start. */
  readonly fromPosition: string | null;
  /** Position of the last event covered; null while the store is empty. */
  readonly headPosition: string | null;
  /** The heads that moved since `fromPosition` (no prototype: stream names are keys). */
  readonly streams: Readonly<Record<string, AnchoredHead>>;
  /** {@link anchorKeyId} of the signing key. */
  readonly keyId: string;
  /** Base64 Ed25519 signature over the canonical JSON of every other field. */
  readonly signature: string;
}

export type UnsignedAnchor = Omit<SignedAnchor, 'keyId' | 'signature'>;

function signedBytes(anchor: Omit<SignedAnchor, 'signature'>): Buffer {
  const { version, sequence, previous, createdAt, fromPosition, headPosition, streams, keyId } = anchor;
  return Buffer.from(canonicalJson({ version, sequence, previous, createdAt, fromPosition, headPosition, streams: { ...streams }, keyId }), 'utf8');
}

export function signAnchor(anchor: UnsignedAnchor, key: AnchorSigningKey): SignedAnchor {
  const withKey = { ...anchor, keyId: key.keyId };
  // Ed25519 hashes internally: the algorithm argument must be null.
  return { ...withKey, signature: sign(null, signedBytes(withKey), key.privateKey).toString('base64') };
}

/** True when `anchor` was signed by `publicKey` and not changed since. */
export function anchorSignatureValid(anchor: SignedAnchor, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedBytes(anchor), publicKey, Buffer.from(anchor.signature, 'base64'));
  } catch {
    return false;
  }
}

/** What the next line's `previous` names: SHA-256 over the canonical JSON of the whole signed line. */
export function anchorDigest(anchor: SignedAnchor): string {
  return createHash('sha256').update(canonicalJson({ ...anchor, streams: { ...anchor.streams } }), 'utf8').digest('hex');
}
