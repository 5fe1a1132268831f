import { createHash, randomUUID } from 'node:crypto';
import type { EventMetadata } from '@leadership/event-store';

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

/** A UUID-shaped id derived from a name (stable across processes and restarts). */
export function deterministicId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version 8 (custom) UUID layout: xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Builds the metadata callback for handleCommand. */
export function metadataFor(context: CommandContext, streamName: string): (event: { type: string }, index: number) => EventMetadata {
  return (event, index) => ({
    eventId: context.idempotencyKey ? deterministicId(context.idempotencyKey, streamName, event.type, String(index)) : randomUUID(),
    actor: context.actorId,
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
  });
}
