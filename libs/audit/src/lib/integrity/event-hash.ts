import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The only algorithm written today; the field exists so a later one can be told apart. */
export const INTEGRITY_ALGORITHM = 'sha256';

/**
 * What {@link HashChainedEventStore} adds to every event's metadata under `integrity`: the hash of
 * the event and the hash of the previous event of the same stream, which makes a stream a chain
 * that a verifier can walk.
 */
export interface IntegrityMetadata {
  readonly algorithm: typeof INTEGRITY_ALGORITHM;
  /** `hash` of the stream's previous event; null for the first event (or after an event without integrity). */
  readonly previousHash: string | null;
  /** Lower-case hex SHA-256 of the canonical JSON of {@link HashedEventContent}. */
  readonly hash: string;
}

/**
 * What the hash covers. Deliberately not revision, position or recordedAt: the store assigns them
 * after the hash is computed (the revision is known only once the append wins the race), and the
 * chain itself already pins the order within a stream. Not the rest of the metadata either: it is
 * operational context (trace ids) rather than the audited fact.
 */
export interface HashedEventContent {
  readonly previousHash: string | null;
  readonly eventId: string;
  readonly streamName: string;
  readonly type: string;
  readonly data: unknown;
}

/** SHA-256 (lower-case hex) over the canonical JSON of the content. */
export function computeEventHash(content: HashedEventContent): string {
  const { previousHash, eventId, streamName, type, data } = content;
  // Build the hashed object explicitly so extra properties of `content` can never leak into it.
  return createHash('sha256').update(canonicalJson({ previousHash, eventId, streamName, type, data }), 'utf8').digest('hex');
}

/** The `integrity` entry of a metadata object when it has the expected shape, otherwise undefined. */
export function readIntegrity(metadata: Readonly<Record<string, unknown>>): IntegrityMetadata | undefined {
  const integrity = metadata['integrity'];
  if (typeof integrity !== 'object' || integrity === null) return undefined;
  const { algorithm, previousHash, hash } = integrity as Record<string, unknown>;
  if (algorithm !== INTEGRITY_ALGORITHM || typeof hash !== 'string') return undefined;
  if (previousHash !== null && typeof previousHash !== 'string') return undefined;
  return { algorithm, previousHash, hash };
}
