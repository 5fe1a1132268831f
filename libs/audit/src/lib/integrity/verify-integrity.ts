import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { checkAnchorLog } from '../anchor/anchor-log';
import { anchorKeyId } from '../anchor/anchor-key';
import { scanAll, type ScanOptions } from '../scan/scan-all';
import { expectedEventHash, readIntegrity, schemeOf, type IntegrityMetadataV2 } from './event-hash';

/**
 * What is wrong with one event or stream:
 * - `hash-mismatch`: its stored hash is not the hash of its stored content (the content or the
 *   hash was changed after the append);
 * - `broken-link`: its `previousHash` is not the stored hash of the stream's previous event (an
 *   event was removed, inserted, reordered, or a predecessor was rewritten together with its hash);
 * - `missing-integrity`: it carries no (well-formed) integrity metadata (written without
 *   {@link HashChainedEventStore}, or stripped);
 * - `recorded-at-mismatch`: the time the store says it recorded the event is further than the
 *   tolerance from the recorded time the hash covers (the store's `recordedAt` was edited);
 * - `anchor-mismatch`: the event at an anchored revision is not the one the anchor signed;
 * - `truncated`: the stream ends below a revision an anchor signed: its tail was deleted
 *   (`missingRevisions` says which);
 * - `stream-missing`: an anchored stream has no events at all any more;
 * - `anchor-invalid`: a line of the anchor log is unreadable, not signed by the anchor key, or
 *   breaks the log's own chain, or the log is missing while the store holds events (stream name
 *   `$anchors`, `revision` the line number).
 */
export type IntegrityProblemKind =
  | 'hash-mismatch'
  | 'broken-link'
  | 'missing-integrity'
  | 'recorded-at-mismatch'
  | 'anchor-mismatch'
  | 'truncated'
  | 'stream-missing'
  | 'anchor-invalid';

/** Stream name of the problems found in the anchor log itself (`$` names are never application streams). */
export const ANCHOR_LOG_STREAM = '$anchors';

/** One finding of {@link verifyIntegrity}. */
export interface IntegrityProblem {
  readonly streamName: string;
  readonly revision: number;
  /** The stored event id ('' when the event no longer exists). */
  readonly eventId: string;
  readonly kind: IntegrityProblemKind;
  /** What the chain or the anchor says the value should be (a hash, a time, or null for "no predecessor"). */
  readonly expected: string | null;
  /** What is stored. */
  readonly actual: string | null;
  /** `truncated` and `stream-missing`: the revisions that are gone (inclusive). */
  readonly missingRevisions?: { readonly from: number; readonly to: number };
  /** A sentence for problems that are not a value comparison (the anchor log's). */
  readonly detail?: string;
}

/** How the anchors were checked, in {@link IntegrityReport}. */
export interface AnchorCheckSummary {
  readonly file: string;
  readonly keyId: string;
  /** Valid anchors read. */
  readonly anchors: number;
  readonly lastAnchoredAt: string | null;
  readonly lastAnchoredPosition: string | null;
}

/**
 * `intact`: no problem; `truncated`: the only problems are anchored revisions or streams that are
 * gone; `tampered`: anything else.
 */
export type IntegrityVerdict = 'intact' | 'truncated' | 'tampered';

/** The result of {@link verifyIntegrity}. */
export interface IntegrityReport {
  readonly verdict: IntegrityVerdict;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** In $all order, then the anchors' findings. Empty when intact (as far as chain and anchors can tell; see README.md). */
  readonly problems: readonly IntegrityProblem[];
  /** Position of the last event checked; undefined for an empty store. */
  readonly headPosition: bigint | undefined;
  /** The signed anchor log checked; null when none was given (deletions are then invisible). */
  readonly anchors: AnchorCheckSummary | null;
}

/**
 * Head hashes of every stream at one moment, as `npm run audit -- anchor` writes them (unsigned,
 * taken by hand). The signed anchor log the services write by themselves supersedes it (README.md,
 * "Anchors"); it is still accepted by verify.
 */
export interface IntegrityAnchor {
  readonly version: 1;
  readonly createdAt: string;
  /** Position of $all the anchor was taken at (decimal string: positions may exceed 2^53). */
  readonly headPosition: string | null;
  /** Per stream: revision and stored hash of its last event at that moment. */
  readonly streams: Readonly<Record<string, { readonly revision: number; readonly hash: string | null }>>;
}

/** A signed anchor log and the key it must be signed with. */
export interface AnchorLogCheck {
  readonly file: string;
  /** The anchor key's public half; trusted because it comes from configuration, never from the log. */
  readonly publicKey: KeyObject;
}

/** Options of {@link verifyIntegrity}. */
export interface VerifyIntegrityOptions extends ScanOptions {
  /** An unsigned anchor taken by hand (`npm run audit -- anchor`). */
  readonly anchor?: IntegrityAnchor;
  /** The signed anchor log the service writes; every valid anchor in it is checked. */
  readonly anchorLog?: AnchorLogCheck;
  /**
   * How far the store's `recordedAt` may be from the recorded time the hash covers, in ms. The
   * writer stamps its time just before the append and the store its own at commit: the gap is a
   * few ms on one machine, more with a busy lock or EventStoreDB's clock. Default 10,000.
   */
  readonly recordedAtToleranceMs?: number;
  /** Stop collecting problems beyond this many (still counting events). Default 10,000. */
  readonly maxProblems?: number;
}

const DEFAULT_MAX_PROBLEMS = 10_000;
export const DEFAULT_RECORDED_AT_TOLERANCE_MS = 10_000;

/** Per stream, only what the next event's check needs: memory is O(streams), not O(events). */
interface StreamTip {
  revision: number;
  hash: string | null;
}

/** Anchored heads: stream → revision → hash. */
type AnchoredHeads = ReadonlyMap<string, ReadonlyMap<number, string | null>>;

/**
 * Reads $all once and checks every stream's hash chain, each event under the hash scheme it was
 * written with, and then the streams against every anchored head. The expected `previousHash` of
 * an event is the *stored* hash of its predecessor, so one altered event is reported once (as
 * `hash-mismatch`), and an event whose content and hash were both rewritten shows as a
 * `broken-link` on its successor.
 *
 * The anchor log is read before $all's head is taken, so every anchor it holds covers only events
 * the scan reads: an anchor taken meanwhile cannot look like a truncation.
 */
export async function verifyIntegrity(store: ReadOnlyEventStore, options: VerifyIntegrityOptions = {}): Promise<IntegrityReport> {
  const tips = new Map<string, StreamTip>();
  const problems: IntegrityProblem[] = [];
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const tolerance = options.recordedAtToleranceMs ?? DEFAULT_RECORDED_AT_TOLERANCE_MS;
  const report = (problem: IntegrityProblem): void => {
    if (problems.length < maxProblems) problems.push(problem);
  };
  const logged = options.anchorLog === undefined ? undefined : await readAnchors(options.anchorLog);
  const heads = mergeHeads(logged?.heads, options.anchor);
  let eventsChecked = 0;
  const progress = await scanAll(store, options, (events) => {
    for (const event of events) {
      eventsChecked++;
      const tip = tips.get(event.streamName);
      checkEvent(event, tip, tolerance, report);
      const hash = readIntegrity(event.metadata)?.hash ?? null;
      if (tip === undefined) tips.set(event.streamName, { revision: event.revision, hash });
      else {
        tip.revision = event.revision;
        tip.hash = hash;
      }
      const anchored = heads.get(event.streamName)?.get(event.revision);
      if (anchored !== undefined && anchored !== hash) {
        report({ streamName: event.streamName, revision: event.revision, eventId: event.metadata.eventId, kind: 'anchor-mismatch', expected: anchored, actual: hash });
      }
    }
  });
  for (const [streamName, revisions] of heads) {
    let anchoredTo = -1;
    for (const revision of revisions.keys()) anchoredTo = Math.max(anchoredTo, revision);
    const tip = tips.get(streamName);
    if (tip !== undefined && tip.revision >= anchoredTo) continue;
    const from = tip === undefined ? 0 : tip.revision + 1;
    report({
      streamName,
      revision: from,
      eventId: '',
      kind: tip === undefined ? 'stream-missing' : 'truncated',
      expected: revisions.get(anchoredTo) ?? null,
      actual: null,
      missingRevisions: { from, to: anchoredTo },
    });
  }
  if (logged !== undefined) {
    for (const problem of logged.problems) report(problem);
    if (logged.missing && progress.position !== undefined) {
      report({ streamName: ANCHOR_LOG_STREAM, revision: 0, eventId: '', kind: 'anchor-invalid', expected: options.anchorLog?.file ?? null, actual: null, detail: 'the store holds events but there is no anchor log: it was deleted, or anchoring never ran' });
    }
  }
  return { verdict: verdictOf(problems), streamsChecked: tips.size, eventsChecked, problems, headPosition: progress.position, anchors: logged?.summary ?? null };
}

export function verdictOf(problems: readonly IntegrityProblem[]): IntegrityVerdict {
  if (problems.length === 0) return 'intact';
  return problems.every((p) => p.kind === 'truncated' || p.kind === 'stream-missing') ? 'truncated' : 'tampered';
}

async function readAnchors(check: AnchorLogCheck): Promise<{ heads: AnchoredHeads; problems: IntegrityProblem[]; missing: boolean; summary: AnchorCheckSummary }> {
  const keyId = anchorKeyId(check.publicKey);
  if (!existsSync(check.file)) {
    return { heads: new Map(), problems: [], missing: true, summary: { file: check.file, keyId, anchors: 0, lastAnchoredAt: null, lastAnchoredPosition: null } };
  }
  const log = await checkAnchorLog(check.file, check.publicKey);
  const problems = log.problems.map(
    (problem): IntegrityProblem => ({ streamName: ANCHOR_LOG_STREAM, revision: problem.line, eventId: '', kind: 'anchor-invalid', expected: null, actual: null, detail: problem.reason }),
  );
  return {
    heads: log.heads,
    problems,
    missing: log.anchors === 0 && log.problems.length === 0,
    summary: { file: check.file, keyId, anchors: log.anchors, lastAnchoredAt: log.last?.createdAt ?? null, lastAnchoredPosition: log.last?.headPosition ?? null },
  };
}

/** The anchored heads of the log and of a hand-taken anchor, together. */
function mergeHeads(logged: AnchoredHeads | undefined, anchor: IntegrityAnchor | undefined): AnchoredHeads {
  if (anchor === undefined) return logged ?? new Map();
  const merged = new Map<string, Map<number, string | null>>();
  for (const [stream, revisions] of logged ?? []) merged.set(stream, new Map(revisions));
  // Own properties only: a stream may be called `constructor` or `__proto__`.
  for (const streamName of Object.keys(anchor.streams)) {
    const head = anchor.streams[streamName];
    if (head === undefined) continue;
    let revisions = merged.get(streamName);
    if (revisions === undefined) merged.set(streamName, (revisions = new Map()));
    revisions.set(head.revision, head.hash);
  }
  return merged;
}

function checkEvent(event: RecordedEvent, tip: StreamTip | undefined, toleranceMs: number, report: (problem: IntegrityProblem) => void): void {
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
  const hash = expectedEventHash(event, integrity);
  if (hash !== integrity.hash) report({ streamName, revision, eventId, kind: 'hash-mismatch', expected: hash, actual: integrity.hash });
  // Scheme 2 covers the writer's recorded time; the store's own must agree with it.
  if (schemeOf(integrity) === 2) {
    const attested = (integrity as IntegrityMetadataV2).recordedAt;
    const gap = Math.abs(Date.parse(event.recordedAt) - Date.parse(attested));
    if (!(gap <= toleranceMs)) report({ streamName, revision, eventId, kind: 'recorded-at-mismatch', expected: attested, actual: event.recordedAt });
  }
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
