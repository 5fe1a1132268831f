import {
  assertExpectedRevision,
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
import { computeEventHash, INTEGRITY_ALGORITHM, readIntegrity, type IntegrityMetadata } from './event-hash';

/** Options of {@link HashChainedEventStore}. */
export interface HashChainedEventStoreOptions {
  /**
   * For `expectedRevision` 'any' or 'stream_exists': how many times to re-read the head and
   * re-append after another writer got in between. Default 10; then the
   * WrongExpectedRevisionError of the last attempt is thrown.
   */
  readonly maxAttempts?: number;
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
  /** Per stream, the end of the queue of this instance's appends to it (never rejects). */
  private readonly streamQueues = new Map<string, Promise<void>>();

  constructor(
    private readonly inner: EventStore,
    options: HashChainedEventStoreOptions = {},
  ) {
    this.maxAttempts = Math.max(1, Math.trunc(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
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
      const chained = chain(streamName, events, head.hash);
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
      return await this.inner.appendToStream(streamName, chain(streamName, events, head.hash), 'no_stream');
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new WrongExpectedRevisionError(streamName, expected, error.actual);
      throw error;
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The batch with integrity metadata, each event linked to the one before it. */
function chain(streamName: string, events: readonly NewEvent[], headHash: string | null): NewEvent[] {
  let previousHash = headHash;
  return events.map((event) => {
    const hash = computeEventHash({ previousHash, eventId: event.metadata.eventId, streamName, type: event.type, data: event.data });
    const integrity: IntegrityMetadata = { algorithm: INTEGRITY_ALGORITHM, previousHash, hash };
    previousHash = hash;
    return { type: event.type, data: event.data, metadata: { ...event.metadata, integrity } };
  });
}
