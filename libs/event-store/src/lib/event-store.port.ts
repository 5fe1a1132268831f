/*
 * The event store port: what every service needs from an event store, independent of the
 * engine. Two adapters implement it (SQLite, EventStoreDB) and both must pass the one contract
 * suite in this library.
 */

/** Metadata carried by every event; it travels on as Kafka headers. */
export interface EventMetadata {
  /** Unique id of this event (UUID). Appending an event whose id is already stored is a no-op. */
  readonly eventId: string;
  /** Id of the request or process this event belongs to. */
  readonly correlationId?: string;
  /** Id of the command or event that caused this event. */
  readonly causationId?: string;
  /** Who caused it (person id or system component). */
  readonly actor?: string;
  /** W3C trace context of the operation that appended it. */
  readonly traceparent?: string;
  /** Further JSON-serialisable entries (e.g. integrity hash chain). */
  readonly [key: string]: unknown;
}

/** An event to append: readonly plain JSON data, past-tense type. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly streamName: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  /** 0-based position of the event within its stream. */
  readonly revision: number;
  /**
   * Position in the global log ($all). Strictly increasing in read-all order and usable as a
   * checkpoint to resume from. An opaque number per adapter; compare only within one store.
   */
  readonly position: bigint;
  /** When the store committed it (ISO 8601, set by the store, not by the caller). */
  readonly recordedAt: string;
}

/**
 * Optimistic concurrency on append:
 * - 'any': no check;
 * - 'no_stream': the stream must not exist;
 * - 'stream_exists': the stream must have at least one event;
 * - a number: the revision of the stream's last event must equal it.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream; pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event appended (or already present, for an idempotent retry). */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; defaults to the first (forwards) or last (backwards) event. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/** Which events of $all to deliver. Categories are the part of the stream name before the first '-'. */
export interface AllFilter {
  readonly streamCategories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive checkpoint: deliver events strictly after it. Omitted: from the beginning. */
  readonly after?: bigint;
  readonly filter?: AllFilter;
  /**
   * Called for each event in $all order, one at a time; the next event is not delivered until
   * the promise resolves. A rejection stops the subscription and is reported to onError.
   */
  readonly onEvent: (event: RecordedEvent) => Promise<void>;
  /** Called once when the subscription has delivered all events existing at subscribe time. */
  readonly onCaughtUp?: () => void;
  readonly onError?: (error: Error) => void;
}

export interface Subscription {
  /** Stops delivery; resolves after the event being handled (if any) has finished. */
  stop(): Promise<void>;
  /** Resolves when the subscription stopped (by stop() or by an error). */
  readonly done: Promise<void>;
}

export interface EventStore {
  appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the last event in $all, or undefined when the store is empty. */
  headPosition(): Promise<bigint | undefined>;
  close(): Promise<void>;
}
