import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventIdConflictError, WrongExpectedRevisionError } from '@leadership/event-store';
import type {
  AllFilter,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@leadership/event-store';
import { assertAllFilter, assertNewEvents, assertReadAllOptions, assertReadStreamOptions, assertStreamName } from '@leadership/event-store';
import { assertExpectedRevision } from '@leadership/event-store';
import { reportSubscriptionError } from '@leadership/event-store';
import { categoryOf } from '@leadership/kernel';

/** Options of {@link EventStoreDbEventStore}. */
export interface EventStoreDbEventStoreOptions {
  /**
   * How many of a stream's latest events an append scans for its event ids (idempotency beyond
   * the server's own short-lived window). Default: the whole stream. Aggregate streams are short;
   * for a long stream a bound trades exactness for speed (older ids are then not recognised).
   */
  readonly eventIdScanLimit?: number;
  /** Events per read request. Default 500. */
  readonly pageSize?: number;
}

/*
 * Positions. EventStoreDB gives every event of $all a {commit, prepare} pair of transaction-log
 * offsets. The prepare position is the offset of the event's own record: unique per event. Every
 * append made over gRPC (the only protocol of this client, and the only one of servers ≥ 24) is an
 * implicit transaction whose events get commit == prepare, so the prepare position is strictly
 * increasing in $all order. We expose it as the bigint `position` and resume from
 * {commit: p, prepare: p}, which is exactly the event's position. Only legacy explicit TCP
 * transactions (commit shared by a group, interleaved with other writes) would break the order.
 * Checkpoint messages of filtered subscriptions may carry prepare = 0, so those are read by their
 * commit position (the same number for every event written over gRPC).
 */
function positionOf(event: EsdbRecordedEvent): bigint {
  if (!event.position) {
    throw new Error(`EventStoreDB returned event ${event.id} without its $all position: the server must be 22.6 or later`);
  }
  return event.position.prepare;
}

function toEsdbPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

/** System streams and engine events ($-prefixed) are not application events: the port never shows them. */
function isApplicationEvent(event: EsdbRecordedEvent): boolean {
  return !event.streamId.startsWith('$') && !event.type.startsWith('$');
}

function matchesFilter(event: EsdbRecordedEvent, filter: AllFilter | undefined): boolean {
  if (filter?.streamCategories && !filter.streamCategories.includes(categoryOf(event.streamId))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/*
 * Server-side filter. One filter can look at stream names or at event types, not both: the
 * category filter (usually the more selective) goes to the server and the types are checked here
 * too. Categories use a stream-name regex rather than a prefix so that a stream named exactly
 * `cat` (category `cat` by `categoryOf`) matches while `cattle-1` does not. Every event is checked
 * again on the client, so the server filter is an optimisation, never the definition.
 */
function serverFilter(filter: AllFilter | undefined, checkpointReached: (position: Position) => void): Filter {
  const onCheckpoint = (_subscription: AllStreamSubscription, position: Position): void => checkpointReached(position);
  if (filter?.streamCategories) {
    return streamNameFilter({ regex: `^(?:${filter.streamCategories.map(escapeRegex).join('|')})(?:-|$)`, checkpointReached: onCheckpoint });
  }
  if (filter?.eventTypes) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`, checkpointReached: onCheckpoint });
  }
  return excludeSystemEvents({ checkpointReached: onCheckpoint });
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

function decodeData(event: EsdbRecordedEvent): unknown {
  if (event.isJson) return event.data;
  // Written by another tool as bytes: accept it only if the bytes are JSON (the port promises JSON).
  const text = Buffer.from(event.data).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`event ${event.id} of ${event.streamId} is not JSON (content type application/octet-stream)`);
  }
}

function decodeMetadata(event: EsdbRecordedEvent): EventMetadata {
  const metadata = event.metadata;
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && !(metadata instanceof Uint8Array)) {
    const record = metadata as Record<string, unknown>;
    if (typeof record['eventId'] === 'string') return record as EventMetadata;
    return { ...record, eventId: event.id };
  }
  return { eventId: event.id };
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    streamName: event.streamId,
    type: event.type,
    data: decodeData(event),
    metadata: decodeMetadata(event),
    revision: Number(event.revision),
    position: positionOf(event),
    recordedAt: event.created.toISOString(),
  };
}

async function collect<E>(read: AsyncIterable<E> & { cancel(): Promise<void> }, keep: (item: E) => 'take' | 'skip' | 'stop'): Promise<E[]> {
  const items: E[] = [];
  for await (const item of read) {
    const verdict = keep(item);
    if (verdict === 'stop') {
      // Leaving the loop early: cancel the server-side read instead of draining it.
      await read.cancel();
      break;
    }
    if (verdict === 'take') items.push(item);
  }
  return items;
}

/**
 * The production event store: EventStoreDB through `@eventstore/db-client` (server 22.10 or
 * later; 23.10+ recommended, whose subscriptions report "caught up"). Same contract as the SQLite
 * adapter; see README.md for the two places where the engines differ.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly eventIdScanLimit: number;
  private readonly pageSize: number;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  /** @param connection an `esdb://` connection string (the store owns and closes the client) or a client the caller owns. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.eventIdScanLimit = options.eventIdScanLimit ?? Number.MAX_SAFE_INTEGER;
    this.pageSize = Math.max(2, options.pageSize ?? 500);
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertStreamName(streamName);
    assertExpectedRevision(expectedRevision);
    const ids = assertNewEvents(events);
    // The server recognises a retried batch only within a short window; the scan makes the
    // contract hold for any retry (and refuses partial overlaps) before anything is written.
    const earlier = await this.findStoredBatch(streamName, ids);
    if (earlier) return earlier;
    const data: EventData[] = events.map((event, i) => ({
      id: ids[i] as string,
      contentType: 'application/json',
      type: event.type,
      data: event.data as JSONType,
      metadata: event.metadata as JSONType,
    }));
    try {
      const result = await this.client.appendToStream(streamName, data, { expectedRevision: toEsdbExpectedRevision(expectedRevision) });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // The append reports the commit position of its last event, which equals that event's
      // prepare position (see positionOf). Without one (e.g. a write the server deduplicated),
      // read the last event back.
      const position = result.position && result.position.commit >= 0n ? result.position.commit : await this.positionAt(streamName, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // A concurrent retry of this very batch may have won the race: then this is its result.
      const raced = await this.findStoredBatch(streamName, ids);
      if (raced) return raced;
      const actual = error.actualVersion === NO_STREAM || typeof error.actualVersion !== 'bigint' ? 'no_stream' : Number(error.actualVersion);
      throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(streamName);
    assertReadStreamOptions(options);
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      const resolved = await collect(read, (item: ResolvedEvent) => (item.event ? 'take' : 'skip'));
      return resolved.map((item) => toRecordedEvent(item.event as EsdbRecordedEvent));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertReadAllOptions(options);
    assertAllFilter(options.filter);
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount === 0) return [];
    return options.filter ? this.readAllFiltered(options.after, maxCount, options.filter) : this.readAllPaged(options.after, maxCount);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closed) throw new Error('event store is closed');
    assertReadAllOptions({ after: options.after });
    assertAllFilter(options.filter);
    const subscription = this.startSubscription(options);
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async headPosition(): Promise<bigint | undefined> {
    // The last record of $all may be an engine event (statistics, metadata): walk back past them.
    let from: ReadPosition = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: this.pageSize }), () => 'take');
      const found = page.find((item) => item.event && isApplicationEvent(item.event));
      if (found?.event) return positionOf(found.event);
      const last: EsdbRecordedEvent | undefined = page[page.length - 1]?.event;
      if (page.length < this.pageSize || !last?.position) return undefined;
      from = last.position;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /**
   * The stored events of `ids` in this stream: undefined when none is stored, the original
   * result when all are, EventIdConflictError when only some are.
   */
  private async findStoredBatch(streamName: string, ids: readonly string[]): Promise<AppendResult | undefined> {
    const wanted = new Set(ids);
    const found: EsdbRecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: this.eventIdScanLimit });
      await collect(read, (item: ResolvedEvent) => {
        if (item.event && wanted.has(item.event.id.toLowerCase())) found.push(item.event);
        return found.length === wanted.size ? 'stop' : 'skip';
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    if (found.length === 0) return undefined;
    if (found.length < wanted.size) throw new EventIdConflictError(streamName, 'partially_stored', found.map((event) => event.id.toLowerCase()));
    // Read backwards: the first found is the latest.
    const latest = found[0] as EsdbRecordedEvent;
    return { nextExpectedRevision: Number(latest.revision), position: positionOf(latest) };
  }

  private async positionAt(streamName: string, revision: number): Promise<bigint> {
    const [event] = await this.readStream(streamName, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`event ${revision} of ${streamName} was appended but cannot be read back`);
    return event.position;
  }

  /** Unfiltered $all in pages; engine events are dropped here. */
  private async readAllPaged(after: bigint | undefined, maxCount: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    // Reading from a position includes the event at it: `seen` skips what a page repeats.
    let seen = after ?? -1n;
    let from: ReadPosition = after === undefined ? START : toEsdbPosition(after);
    for (;;) {
      const page: AllStreamResolvedEvent[] = await collect(this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: this.pageSize }), () => 'take');
      for (const { event } of page) {
        if (!event?.position || event.position.prepare <= seen) continue;
        seen = event.position.prepare;
        from = event.position;
        if (!isApplicationEvent(event)) continue;
        events.push(toRecordedEvent(event));
        if (events.length >= maxCount) return events;
      }
      if (page.length < this.pageSize) return events;
    }
  }

  /**
   * Filtered $all. This client's readAll cannot filter on the server, its subscriptions can: read
   * through a subscription and stop once it has caught up (or has enough).
   */
  private async readAllFiltered(after: bigint | undefined, maxCount: number, filter: AllFilter): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let failure: Error | undefined;
    const subscription: Subscription = this.startSubscription({
      after,
      filter,
      onEvent: async (event) => {
        events.push(event);
        // Not awaited: stop() waits for this very handler.
        if (events.length >= maxCount) void subscription.stop();
      },
      onCaughtUp: () => void subscription.stop(),
      onError: (error) => {
        failure = error;
      },
    });
    await subscription.done;
    if (failure) throw failure;
    return events.slice(0, maxCount);
  }

  /*
   * Delivery is pulled one event at a time from the client's stream, so the next event waits for
   * the handler. "Caught up" is known in three ways: the server says so (23.10+), a checkpoint
   * passes the head read at subscribe time, or an event at or past that head has been handled.
   * The first two arrive while earlier events may still be buffered, so onCaughtUp waits until
   * the events buffered at that moment are handled (never earlier: filtered readAll stops on it).
   */
  private startSubscription(options: SubscribeToAllOptions): Subscription {
    const after = options.after;
    let stopped = false;
    let taken = 0;
    let handled = 0;
    let caughtUpAt: number | undefined;
    let caughtUpReported = false;
    let head: bigint | undefined | null = null;
    let lastHandled = -1n;

    const reportCaughtUp = (): void => {
      if (caughtUpReported || stopped) return;
      const byCount = caughtUpAt !== undefined && handled >= caughtUpAt;
      const byHead = head !== null && (head === undefined || lastHandled >= head || (after !== undefined && after >= head));
      if (!byCount && !byHead) return;
      caughtUpReported = true;
      options.onCaughtUp?.();
    };
    const markCaughtUp = (): void => {
      caughtUpAt ??= taken + stream.readableLength;
      reportCaughtUp();
    };

    const stream = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : toEsdbPosition(after),
      resolveLinkTos: false,
      filter: serverFilter(options.filter, (checkpoint) => {
        if (head !== null && head !== undefined && checkpoint.commit >= head) markCaughtUp();
      }),
    });
    stream.on('caughtUp', markCaughtUp);
    void this.headPosition().then(
      (position) => {
        head = position;
        reportCaughtUp();
      },
      () => undefined, // best effort: the server's caughtUp still applies
    );

    // Pulled with read() rather than an async iterator: `taken` then counts exactly what left
    // the buffer, which the caught-up bookkeeping above depends on.
    let ended = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const signal = (): void => wake?.();
    stream.on('readable', signal);
    stream.on('end', () => ((ended = true), signal()));
    stream.on('close', () => ((ended = true), signal()));
    stream.on('error', (error: unknown) => ((failure ??= error), signal()));
    const pull = async (): Promise<AllStreamResolvedEvent | undefined> => {
      for (;;) {
        if (failure !== undefined && !stopped) throw failure;
        const item = stream.destroyed ? null : (stream.read() as AllStreamResolvedEvent | null);
        if (item !== null) {
          taken++;
          return item;
        }
        if (ended || stopped || stream.destroyed) return undefined;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    };

    const run = async (): Promise<void> => {
      for (let resolved = await pull(); resolved && !stopped; resolved = await pull()) {
        const event = resolved.event;
        // Subscribing from a position is exclusive on the server; the check keeps it so regardless.
        if (event?.position && isApplicationEvent(event) && matchesFilter(event, options.filter) && (after === undefined || event.position.prepare > after)) {
          const recorded = toRecordedEvent(event);
          await options.onEvent(recorded);
          lastHandled = recorded.position;
        }
        handled++;
        reportCaughtUp();
      }
      // The server ended the subscription without being asked: say so rather than go quiet.
      if (!stopped) throw new Error('EventStoreDB ended the subscription');
    };

    const done = run().then(
      () => {
        stopped = true;
      },
      (error: unknown) => {
        stopped = true;
        reportSubscriptionError(options, error);
      },
    );
    void done.then(() => stream.unsubscribe().catch(() => undefined));

    return {
      done,
      async stop(): Promise<void> {
        if (!stopped) {
          stopped = true;
          await stream.unsubscribe().catch(() => undefined);
          // Cancelling the call does not always end the stream; destroying it ends the pull loop.
          stream.destroy();
          wake?.();
        }
        await done;
      },
    };
  }
}
