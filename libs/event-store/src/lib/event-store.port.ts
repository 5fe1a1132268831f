/*
 * The event store port: what every service needs from an event store, independent of the
 * engine. Two adapters implement it (SQLite, EventStoreDB) and both must pass the one contract
 * suite in this library.
 */

import type { EventMetadata } from '@leadership/kernel';

export type { EventMetadata };

/**
 * An event to append: readonly plain JSON data, past-tense type. `data` and `metadata` must be
 * plain JSON (null, booleans, finite numbers, strings, arrays, plain objects; no `undefined`,
 * functions, BigInt, NaN/Infinity, Dates, class instances or cycles) so that what is read back is
 * exactly what was written. Types starting with `$` are reserved for the engine.
 */
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

/** What an append returns. */
export interface AppendResult {
  /** Revision of the last event now in the stream; pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event appended (or already present, for an idempotent retry). */
  readonly position: bigint;
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; defaults to the first (forwards) or last (backwards) event. */
  readonly fromRevision?: number;
  /** At most this many events (a non-negative integer); omitted: no limit. */
  readonly maxCount?: number;
}

/** Which events of $all to deliver. Categories are the part of the stream name before the first '-'. */
export interface AllFilter {
  readonly streamCategories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

/** Options of {@link EventStore.subscribeToAll}. */
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

/** A running catch-up subscription. */
export interface Subscription {
  /** Stops delivery; resolves after the event being handled (if any) has finished. */
  stop(): Promise<void>;
  /** Resolves when the subscription stopped (by stop() or by an error). */
  readonly done: Promise<void>;
}

/**
 * The store. Semantics shared by every adapter (checked by the one contract suite,
 * libs/event-store/int/event-store.contract.ts):
 *
 * - Stream names are non-empty, not blank and do not start with `$` (reserved for the engine);
 *   otherwise `InvalidStreamNameError`.
 * - Appends are atomic: all events of the batch are written, at consecutive revisions, or none.
 * - Idempotency by event id: a batch whose ids are *all* already stored in this stream writes
 *   nothing and returns the revision and position of the latest of those events (the original
 *   result), whatever `expectedRevision` says — it is a retry of a write that succeeded. A batch
 *   that is partly stored, or whose id belongs to another stream, is refused with
 *   `EventIdConflictError` (the EventStoreDB adapter cannot see other streams' ids; see its
 *   docs). Invalid input is refused with `InvalidEventError` /
 *   `InvalidStreamNameError`; in every refusal nothing is written.
 * - Reads of a stream that does not exist return `[]`.
 * - $all holds application events only (engine events with `$` types or streams are left out), in
 *   commit order; `position` is strictly increasing along it and `after` is exclusive.
 */
export interface EventStore extends ReadOnlyEventStore {
  /**
   * Appends `events` (at least one) to the stream if `expectedRevision` (default 'any') holds;
   * otherwise throws `WrongExpectedRevisionError` and writes nothing.
   */
  appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult>;
}

/** The reading half of the store: what a process that only projects or publishes needs. */
export interface ReadOnlyEventStore {
  /** Events of one stream in revision order (or reverse); `[]` when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of $all in position order, strictly after `after`, optionally filtered. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription: the events after the checkpoint, then new ones as they are committed. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the last event in $all, or undefined when the store is empty. */
  headPosition(): Promise<bigint | undefined>;
  /** Stops the subscriptions (waiting for their in-flight handlers) and releases the connection. */
  close(): Promise<void>;
}
