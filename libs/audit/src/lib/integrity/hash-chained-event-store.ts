import {
  assertExpectedRevision,
  assertNewEvents,
  assertStreamName,
  matchesExpectedRevision,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@leadership/event-store';
import type { KeyObject } from 'node:crypto';
import type { ServiceConfig, ServiceWorker, StoreWorkerContext } from '@leadership/platform-runtime';
import { ensureAnchorSigningKey } from '../anchor/anchor-key';
import { anchoringFromEnv } from '../anchor/anchoring-config';
import { IntegrityAnchorer } from '../anchor/integrity-anchorer';
import { readIntegrity, sealEvent } from './event-hash';

/** Options of {@link HashChainedEventStore}. */
export interface HashChainedEventStoreOptions {
  /**
   * For `expectedRevision` 'any' or 'stream_exists': how many times to re-read the head and
   * re-append after another writer got in between. Default 10; then the
   * WrongExpectedRevisionError of the last attempt is thrown.
   */
  readonly maxAttempts?: number;
  /**
   * The writer's clock for the recorded time the hash covers (`integrity.recordedAt`). Default:
   * the system clock, like the SQLite store's own — not the service's (possibly pinned) domain
   * clock, because verify compares it with the time the store recorded.
   */
  readonly clock?: () => Date;
  /**
   * The environment anchoring is configured from when the runtime asks for the store's workers
   * (README.md, "Anchors"). Default: `process.env`, relative paths against the process's directory.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The anchoring of a store started by the runtime: what verify needs, and the worker (tests anchor on demand). */
export interface StoreAnchoring {
  readonly logFile: string;
  readonly publicKey: KeyObject;
  readonly anchorer: IntegrityAnchorer;
}

const DEFAULT_MAX_ATTEMPTS = 10;
/** Upper bound of the random pause before the first retry, in ms (doubles, triples… per attempt). */
const RETRY_JITTER_MS = 2;

/** Head of a stream as the chain needs it: its last revision and that event's hash. */
interface ChainHead {
  readonly revision: number | 'no_stream';
  readonly hash: string | null;
}

/**
 * An {@link EventStore} decorator that chains each stream's events by hash (see README.md,
 * "Integrity"): every appended event gets `metadata.integrity = { algorithm, previousHash, hash }`.
 * Reads, subscriptions and everything else go to the wrapped store unchanged.
 *
 * Concurrency. The hash of the first new event depends on the stream's last event, so the append
 * must land exactly after the event that was read:
 * - numeric and 'no_stream' expectations already pin that position; a race surfaces as the
 *   caller's own WrongExpectedRevisionError, as without the decorator;
 * - 'any' and 'stream_exists' do not, so the decorator appends with the exact revision it read
 *   and, when another writer got in between, reads the new head and tries again (bounded by
 *   `maxAttempts`). An unbounded 'any' would otherwise write a link to a superseded event.
 *
 * Idempotency. When the stream is not where the caller expects, the batch may be a retry of a
 * write that already succeeded; the wrapped store decides that by event id. It is asked with an
 * expectation that can no longer hold ('no_stream' for a stream that exists: streams are never
 * deleted through the port), so it returns the original result or refuses, and never writes
 * events chained to the wrong head.
 */
export class HashChainedEventStore implements EventStore {
  private readonly maxAttempts: number;
  private readonly clock: () => Date;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private anchoringState: StoreAnchoring | undefined;
  /** Per stream, the end of the queue of this instance's appends to it (never rejects). */
  private readonly streamQueues = new Map<string, Promise<void>>();

  constructor(
    private readonly inner: EventStore,
    options: HashChainedEventStoreOptions = {},
  ) {
    this.maxAttempts = Math.max(1, Math.trunc(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
    this.clock = options.clock ?? (() => new Date());
    this.env = options.env ?? process.env;
  }

  /**
   * Appends of this instance to one stream run one after another. They would only race each
   * other for the same head: every one reads the head, one wins, the rest re-read and retry. A
   * store that commits the appends of one event-loop turn together (the SQLite adapter's group
   * commit) widens that window, and 40 concurrent appends to one stream then exhaust the retries.
   * Other processes are still met by the retry below.
   */
  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertExpectedRevision(expectedRevision);
    // The hash covers data and metadata: refuse what the store would refuse, with its typed
    // errors, before hashing it (canonical JSON would throw a plain TypeError instead).
    assertStreamName(streamName);
    assertNewEvents(events);
    const previous = this.streamQueues.get(streamName) ?? Promise.resolve();
    const result = previous.then(() => this.appendChained(streamName, events, expectedRevision));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.streamQueues.set(streamName, tail);
    void tail.then(() => {
      if (this.streamQueues.get(streamName) === tail) this.streamQueues.delete(streamName);
    });
    return result;
  }

  private async appendChained(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const retries = expectedRevision === 'any' || expectedRevision === 'stream_exists';
    for (let attempt = 1; ; attempt++) {
      const head = await this.head(streamName);
      if (!matchesExpectedRevision(expectedRevision, head.revision)) return this.appendUnexpected(streamName, events, expectedRevision, head);
      const chained = chain(streamName, events, head, this.clock());
      try {
        return await this.inner.appendToStream(streamName, chained, head.revision);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (!retries) throw new WrongExpectedRevisionError(streamName, expectedRevision, error.actual);
        if (attempt >= this.maxAttempts) throw new WrongExpectedRevisionError(streamName, expectedRevision, error.actual);
        // Two writers that read the head in lockstep would collide again at once, and the slower
        // one could starve; a short random pause, growing per attempt, breaks the symmetry.
        await pause(Math.random() * RETRY_JITTER_MS * attempt);
      }
    }
  }

  /**
   * The runtime (`startService` of @leadership/platform-runtime) asks a decorated store for
   * workers of its own: a hash-chained store is anchored, so every service that chains its store
   * takes signed anchors without wiring of its own. Off, with the reason logged, when the
   * configuration says so (`<NAME>_AUDIT_ANCHORS=off`, or EventStoreDB without anchor paths).
   */
  serviceWorkers(context: StoreWorkerContext): readonly ServiceWorker[] {
    const setting = anchoringFromEnv(context.config.serviceName, storeLocationOf(context.config), this.env, process.cwd());
    if (!setting.enabled) {
      context.logger.warn('integrity anchoring is off: deleting a stream tail or a whole stream will not be detected', { reason: setting.reason });
      return [];
    }
    const key = ensureAnchorSigningKey(setting.keyFile);
    const anchorer = new IntegrityAnchorer(this, { logFile: setting.logFile, key, intervalMs: setting.intervalMs, logger: context.logger });
    this.anchoringState = { logFile: setting.logFile, publicKey: key.publicKey, anchorer };
    context.logger.info('integrity anchoring on', { log: setting.logFile, keyId: key.keyId, intervalMs: setting.intervalMs });
    return [{ name: 'integrity-anchors', start: () => anchorer.start(), stop: () => anchorer.stop() }];
  }

  /** The anchoring started by {@link serviceWorkers}; undefined when it is off or the runtime did not ask. */
  get anchoring(): StoreAnchoring | undefined {
    return this.anchoringState;
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<bigint | undefined> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async head(streamName: string): Promise<ChainHead> {
    const [last] = await this.inner.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    if (last === undefined) return { revision: 'no_stream', hash: null };
    // An event written without the decorator (e.g. before it was installed) restarts the chain.
    return { revision: last.revision, hash: readIntegrity(last.metadata)?.hash ?? null };
  }

  /**
   * The stream is not where the caller expects: either an idempotent retry or a conflict. Only
   * the wrapped store knows which, so ask it with an expectation that cannot hold any more.
   */
  private async appendUnexpected(streamName: string, events: readonly NewEvent[], expected: ExpectedRevision, head: ChainHead): Promise<AppendResult> {
    // A stream that does not exist holds none of these ids, and no expectation is sure to fail on
    // it (another writer may create it meanwhile), so refuse without asking.
    if (head.revision === 'no_stream') throw new WrongExpectedRevisionError(streamName, expected, 'no_stream');
    try {
      return await this.inner.appendToStream(streamName, chain(streamName, events, head, this.clock()), 'no_stream');
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new WrongExpectedRevisionError(streamName, expected, error.actual);
      throw error;
    }
  }
}

/** The store the anchoring defaults are derived from (a SQLite file's folder). */
function storeLocationOf(config: ServiceConfig): { kind: 'sqlite'; file: string } | { kind: 'eventstoredb' } {
  return config.eventStore.kind === 'sqlite' ? { kind: 'sqlite', file: config.eventStore.file } : { kind: 'eventstoredb' };
}

/**
 * The signed anchor log a store is checked against, when it is a hash-chained store whose
 * anchoring runs (what `/audit/verify` passes to `verifyIntegrity` as `anchorLog`).
 */
export function anchorLogOf(store: unknown): { readonly file: string; readonly publicKey: KeyObject } | undefined {
  const anchoring = store instanceof HashChainedEventStore ? store.anchoring : undefined;
  return anchoring === undefined ? undefined : { file: anchoring.logFile, publicKey: anchoring.publicKey };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The batch with integrity metadata (scheme 2), each event linked to the one before it. The
 * revisions are the ones the append will land at: it is made with the head's exact revision.
 */
function chain(streamName: string, events: readonly NewEvent[], head: ChainHead, recordedAt: Date): NewEvent[] {
  let previousHash = head.hash;
  const first = head.revision === 'no_stream' ? 0 : head.revision + 1;
  const at = recordedAt.toISOString();
  return events.map((event, index) => {
    const integrity = sealEvent(streamName, first + index, event, previousHash, at);
    previousHash = integrity.hash;
    return { type: event.type, data: event.data, metadata: { ...event.metadata, integrity } };
  });
}
