import { sha256Hex } from './sha256';

/**
 * Metadata carried by every event; it travels on as Kafka headers. Defined here, once, so that
 * pure code can build it; the event-store port stores it as is.
 */
export interface EventMetadata {
  /**
   * Unique id of this event: a UUID (EventStoreDB requires one; both adapters enforce it and
   * compare ids case-insensitively). It makes appends idempotent: re-appending a batch whose ids
   * are all already stored in the stream writes nothing and returns the original result.
   */
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

/**
 * Metadata before the store sees it: the event id may be left to the command handler, which
 * gives a random one (pure code has no source of randomness).
 */
export type EventMetadataDraft = Omit<EventMetadata, 'eventId'> & { readonly eventId?: string };

/** Who asks and in which request; becomes the metadata of every event the command appends. */
export interface CommandContext {
  /** Person id of the caller, or a system component such as `system:scheduler`. */
  readonly actorId: string;
  readonly correlationId?: string;
  /** Id of the request, command or event that caused this command. */
  readonly causationId?: string;
  readonly traceparent?: string;
  /**
   * When set, event ids are derived from it, so a retried request (same Idempotency-Key, or the
   * scheduler redoing the same due action after a restart) appends nothing the second time:
   * the event store ignores event ids it already holds.
   */
  readonly idempotencyKey?: string;
}

/** A UUID-shaped id derived from a name (stable across processes, restarts and runtimes). */
export function deterministicId(...parts: readonly string[]): string {
  const hex = sha256Hex(parts.join('\u0000'));
  // Version 8 (custom) UUID layout: xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The metadata of the `index`-th event a command appends to `streamName`. With an idempotency
 * key the event id is derived from it (a retry appends nothing); without one it is left to the
 * command handler, which draws a random id.
 */
export function metadataFor(context: CommandContext, streamName: string): (event: { type: string }, index: number) => EventMetadataDraft {
  return (event, index) => ({
    ...(context.idempotencyKey ? { eventId: deterministicId(context.idempotencyKey, streamName, event.type, String(index)) } : {}),
    actor: context.actorId,
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
  });
}
