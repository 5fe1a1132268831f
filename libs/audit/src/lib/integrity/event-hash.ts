import { createHash } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from '@leadership/event-store';
import { canonicalJson } from './canonical-json';

/** The only digest written today; the field exists so a later one can be told apart. */
export const INTEGRITY_ALGORITHM = 'sha256';

/**
 * Which content an event's hash covers (see README.md, "What is hashed"):
 * - 1: `{ previousHash, eventId, streamName, type, data }` — events written before the scheme
 *   field existed (their integrity metadata has no `scheme`);
 * - 2: also the revision, the whole metadata (actor, correlationId, causationId, traceparent…)
 *   and the time the writer recorded the event.
 * Old events keep verifying under the scheme they were written with: history is never rehashed.
 */
export type HashScheme = 1 | 2;

/** The scheme {@link HashChainedEventStore} writes. */
export const CURRENT_HASH_SCHEME = 2 satisfies HashScheme;

/** Integrity metadata of scheme 1, as written before scheme 2 existed (no `scheme` field). */
export interface IntegrityMetadataV1 {
  readonly algorithm: typeof INTEGRITY_ALGORITHM;
  /** `hash` of the stream's previous event; null for the first event (or after an event without integrity). */
  readonly previousHash: string | null;
  /** Lower-case hex SHA-256 of the canonical JSON of {@link HashedEventContentV1}. */
  readonly hash: string;
}

/** Integrity metadata of scheme 2. */
export interface IntegrityMetadataV2 {
  readonly scheme: 2;
  readonly algorithm: typeof INTEGRITY_ALGORITHM;
  readonly previousHash: string | null;
  /** Lower-case hex SHA-256 of the canonical JSON of {@link HashedEventContentV2}. */
  readonly hash: string;
  /**
   * When the writer recorded the event (ISO 8601, the writer's clock, just before the append).
   * The store's own `recordedAt` is assigned after the hash is computed (EventStoreDB sets it on
   * the server), so this is the recorded time the hash can cover; verify checks that the store's
   * time agrees with it (README.md, "Recorded time").
   */
  readonly recordedAt: string;
}

/**
 * What `HashChainedEventStore` adds to every event's metadata under `integrity`: the event's hash
 * and the hash of the previous event of the same stream, which makes a stream a chain that a
 * verifier can walk.
 */
export type IntegrityMetadata = IntegrityMetadataV1 | IntegrityMetadataV2;

/** What a scheme-1 hash covers (kept to verify events written with it). */
export interface HashedEventContentV1 {
  readonly previousHash: string | null;
  readonly eventId: string;
  readonly streamName: string;
  readonly type: string;
  readonly data: unknown;
}

/**
 * What a scheme-2 hash covers: everything an audit reads about the event except its global
 * position, which the engine assigns at commit (the order across streams is what anchors pin).
 * `metadata` is the whole metadata without its `integrity` entry, so the actor, correlation and
 * causation ids, the trace context and any later field are covered without a list to keep up to
 * date.
 */
export interface HashedEventContentV2 {
  readonly previousHash: string | null;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly recordedAt: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Scheme 1: SHA-256 (lower-case hex) over the canonical JSON of the content. */
export function computeEventHash(content: HashedEventContentV1): string {
  const { previousHash, eventId, streamName, type, data } = content;
  // Build the hashed object explicitly so extra properties of `content` can never leak into it.
  return sha256Hex(canonicalJson({ previousHash, eventId, streamName, type, data }));
}

/**
 * Scheme 2: SHA-256 over the canonical JSON of the content with `scheme: 2` in it, so the same
 * bytes can never be read as another scheme's input.
 */
export function computeEventHashV2(content: HashedEventContentV2): string {
  const { previousHash, streamName, revision, type, data, recordedAt } = content;
  const metadata = withoutIntegrity(content.metadata);
  return sha256Hex(canonicalJson({ scheme: 2, previousHash, streamName, revision, type, data, metadata, recordedAt }));
}

/** The metadata a scheme-2 hash covers: all of it except the integrity entry that holds the hash. */
export function withoutIntegrity(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { integrity: _integrity, ...rest } = metadata;
  return rest;
}

/** The hash a stored event should carry under the scheme its integrity metadata names. */
export function expectedEventHash(event: Pick<RecordedEvent, 'streamName' | 'revision' | 'type' | 'data' | 'metadata'>, integrity: IntegrityMetadata): string {
  if (schemeOf(integrity) === 1) {
    return computeEventHash({ previousHash: integrity.previousHash, eventId: event.metadata.eventId, streamName: event.streamName, type: event.type, data: event.data });
  }
  return computeEventHashV2({
    previousHash: integrity.previousHash,
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: (integrity as IntegrityMetadataV2).recordedAt,
  });
}

export function schemeOf(integrity: IntegrityMetadata): HashScheme {
  return 'scheme' in integrity ? integrity.scheme : 1;
}

/** The scheme-2 integrity entry of an event about to be appended at `revision`. */
export function sealEvent(streamName: string, revision: number, event: { readonly type: string; readonly data: unknown; readonly metadata: EventMetadata }, previousHash: string | null, recordedAt: string): IntegrityMetadataV2 {
  const hash = computeEventHashV2({ previousHash, streamName, revision, type: event.type, data: event.data, metadata: event.metadata, recordedAt });
  return { scheme: 2, algorithm: INTEGRITY_ALGORITHM, previousHash, hash, recordedAt };
}

/** The `integrity` entry of a metadata object when it has a known shape, otherwise undefined. */
export function readIntegrity(metadata: Readonly<Record<string, unknown>>): IntegrityMetadata | undefined {
  const integrity = metadata['integrity'];
  if (typeof integrity !== 'object' || integrity === null) return undefined;
  const { scheme, algorithm, previousHash, hash, recordedAt } = integrity as Record<string, unknown>;
  if (algorithm !== INTEGRITY_ALGORITHM || typeof hash !== 'string') return undefined;
  if (previousHash !== null && typeof previousHash !== 'string') return undefined;
  if (scheme === undefined) return { algorithm, previousHash, hash };
  if (scheme === 2 && typeof recordedAt === 'string') return { scheme, algorithm, previousHash, hash, recordedAt };
  return undefined;
}
