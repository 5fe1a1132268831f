import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { scanAll, type ScanOptions } from '../scan/scan-all';
import { computeEventHash, readIntegrity } from './event-hash';

/**
 * What is wrong with one event:
 * - `hash-mismatch`: its stored hash is not the hash of its stored content (the content or the
 *   hash was changed after the append);
 * - `broken-link`: its `previousHash` is not the stored hash of the stream's previous event (an
 *   event was removed, inserted, reordered, or a predecessor was rewritten together with its hash);
 * - `missing-integrity`: it carries no (well-formed) integrity metadata (written without
 *   {@link HashChainedEventStore}, or stripped);
 * - `anchor-mismatch`: it differs from what an integrity anchor recorded for that revision, or the
 *   anchored revision is gone (see {@link IntegrityAnchor}).
 */
export type IntegrityProblemKind = 'hash-mismatch' | 'broken-link' | 'missing-integrity' | 'anchor-mismatch';

/** One finding of {@link verifyIntegrity}. */
export interface IntegrityProblem {
  readonly streamName: string;
  readonly revision: number;
  /** The stored event id ('' when an anchored event no longer exists). */
  readonly eventId: string;
  readonly kind: IntegrityProblemKind;
  /** What the chain says the value should be (a hash, or null for "no predecessor"). */
  readonly expected: string | null;
  /** What is stored. */
  readonly actual: string | null;
}

/** The result of {@link verifyIntegrity}. */
export interface IntegrityReport {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** In $all order. Empty when the store is intact (as far as a hash chain can tell; see README.md). */
  readonly problems: readonly IntegrityProblem[];
  /** Position of the last event checked; undefined for an empty store. */
  readonly headPosition: bigint | undefined;
}

/**
 * Head hashes of every stream at one moment, kept outside the store (a file elsewhere, a ticket,
 * a signed e-mail). A chain alone cannot reveal a rewrite of a stream's last event together with
 * its hash; comparing against an anchor taken earlier can, for every event up to the anchor.
 */
export interface IntegrityAnchor {
  readonly version: 1;
  readonly createdAt: string;
  /** Position of $all the anchor was taken at (decimal string: positions may exceed 2^53). */
  readonly headPosition: string | null;
  /** Per stream: revision and stored hash of its last event at that moment. */
  readonly streams: Readonly<Record<string, { readonly revision: number; readonly hash: string | null }>>;
}

/** Options of {@link verifyIntegrity}. */
export interface VerifyIntegrityOptions extends ScanOptions {
  /** Also check that every anchored stream still has, at the anchored revision, the anchored hash. */
  readonly anchor?: IntegrityAnchor;
  /** Stop collecting problems beyond this many (still counting events). Default 10,000. */
  readonly maxProblems?: number;
}

const DEFAULT_MAX_PROBLEMS = 10_000;

/** Per stream, only what the next event's check needs: memory is O(streams), not O(events). */
interface StreamTip {
  revision: number;
  hash: string | null;
}

/**
 * Reads $all once and checks every stream's hash chain. The expected `previousHash` of an event is
 * the *stored* hash of its predecessor, so one altered event is reported once (as
 * `hash-mismatch`), and an event whose content and hash were both rewritten shows as a
 * `broken-link` on its successor.
 */
export async function verifyIntegrity(store: ReadOnlyEventStore, options: VerifyIntegrityOptions = {}): Promise<IntegrityReport> {
  const tips = new Map<string, StreamTip>();
  const problems: IntegrityProblem[] = [];
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const report = (problem: IntegrityProblem): void => {
    if (problems.length < maxProblems) problems.push(problem);
  };
  const anchored = options.anchor?.streams;
  let eventsChecked = 0;
  const progress = await scanAll(store, options, (events) => {
    for (const event of events) {
      eventsChecked++;
      const tip = tips.get(event.streamName);
      checkEvent(event, tip, report);
      const hash = readIntegrity(event.metadata)?.hash ?? null;
      if (tip === undefined) tips.set(event.streamName, { revision: event.revision, hash });
      else {
        tip.revision = event.revision;
        tip.hash = hash;
      }
      // Own properties only: a stream may be called `constructor` or `__proto__`.
      const anchor = anchored !== undefined && Object.hasOwn(anchored, event.streamName) ? anchored[event.streamName] : undefined;
      if (anchor !== undefined && anchor.revision === event.revision && anchor.hash !== hash) {
        report({ streamName: event.streamName, revision: event.revision, eventId: event.metadata.eventId, kind: 'anchor-mismatch', expected: anchor.hash, actual: hash });
      }
    }
  });
  if (anchored !== undefined) {
    for (const [streamName, anchor] of Object.entries(anchored)) {
      const tip = tips.get(streamName);
      if (tip === undefined || tip.revision < anchor.revision) {
        report({ streamName, revision: anchor.revision, eventId: '', kind: 'anchor-mismatch', expected: anchor.hash, actual: null });
      }
    }
  }
  return { streamsChecked: tips.size, eventsChecked, problems, headPosition: progress.position };
}

function checkEvent(event: RecordedEvent, tip: StreamTip | undefined, report: (problem: IntegrityProblem) => void): void {
  const { streamName, revision } = event;
  const eventId = event.metadata.eventId;
  const integrity = readIntegrity(event.metadata);
  if (integrity === undefined) {
    const stored = event.metadata['integrity'];
    report({ streamName, revision, eventId, kind: 'missing-integrity', expected: 'sha256 integrity metadata', actual: stored === undefined ? null : JSON.stringify(stored) });
    return;
  }
  const expectedPrevious = tip?.hash ?? null;
  // A gap in revisions means an event was removed even if the hashes happen to line up.
  const contiguous = tip === undefined ? revision === 0 : revision === tip.revision + 1;
  if (integrity.previousHash !== expectedPrevious || !contiguous) {
    report({ streamName, revision, eventId, kind: 'broken-link', expected: expectedPrevious, actual: integrity.previousHash });
  }
  const hash = computeEventHash({ previousHash: integrity.previousHash, eventId, streamName, type: event.type, data: event.data });
  if (hash !== integrity.hash) report({ streamName, revision, eventId, kind: 'hash-mismatch', expected: hash, actual: integrity.hash });
}

/**
 * Takes an anchor: the stored head hash of every stream, read from $all in one pass. Keep the
 * result outside the store; pass it to {@link verifyIntegrity} later.
 */
export async function createIntegrityAnchor(store: ReadOnlyEventStore, options: ScanOptions & { readonly now?: () => Date } = {}): Promise<IntegrityAnchor> {
  // No prototype: stream names become keys, and `__proto__` is a valid stream name.
  const streams = Object.create(null) as Record<string, { revision: number; hash: string | null }>;
  const progress = await scanAll(store, options, (events) => {
    for (const event of events) streams[event.streamName] = { revision: event.revision, hash: readIntegrity(event.metadata)?.hash ?? null };
  });
  return {
    version: 1,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    headPosition: progress.position === undefined ? null : progress.position.toString(),
    streams,
  };
}
