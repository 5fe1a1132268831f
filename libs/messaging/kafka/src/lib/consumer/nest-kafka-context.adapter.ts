import type { AnyIntegrationEventContract } from '@leadership/messaging-contracts';
import type { IncomingKafkaHeaders } from '../shared/cloud-event.codec';
import type { IntegrationEventProcessor, ProcessResult } from './integration-event.processor';

/**
 * The part of `@nestjs/microservices`' KafkaContext the processor needs, typed structurally so
 * this library does not tie itself to a Nest version.
 */
export interface KafkaContextLike {
  getMessage(): {
    readonly key: unknown;
    readonly value: unknown;
    readonly headers?: IncomingKafkaHeaders;
    readonly offset: string;
  };
  getTopic(): string;
  getPartition(): number;
  getHeartbeat(): () => Promise<void>;
}

/** Nest decodes keys to strings and, unless `parser: { keepBinary: true }`, JSON values to objects. */
function asRecordBytes(value: unknown): Buffer | string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Runs the processor for a message received by a Nest `@EventPattern(topic)` handler:
 *
 *   @EventPattern('leadership.delegation.mandates.v1')
 *   onMandate(@Ctx() context: KafkaContext) { return processNestKafkaMessage(this.processor, context); }
 *
 * Configure the Nest Kafka server with `parser: { keepBinary: true }` so the value reaches the
 * contract exactly as produced. Poison is parked and the promise resolves, so Nest commits and
 * moves on; Nest's own loop (eachMessage) decides when offsets are committed.
 */
export function processNestKafkaMessage<C extends AnyIntegrationEventContract>(
  processor: IntegrationEventProcessor<C>,
  context: KafkaContextLike,
): Promise<ProcessResult> {
  const message = context.getMessage();
  const heartbeat = context.getHeartbeat();
  return processor.process(
    {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: message.offset,
      key: asRecordBytes(message.key),
      value: asRecordBytes(message.value),
      ...(message.headers ? { headers: message.headers } : {}),
    },
    { heartbeat: () => heartbeat(), shouldContinue: () => true },
  );
}
