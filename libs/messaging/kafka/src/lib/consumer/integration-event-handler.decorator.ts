import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern, Transport } from '@nestjs/microservices';
import type { AnyIntegrationEventContract } from '@leadership/messaging-contracts';
import { IntegrationEventErrorFilter } from './integration-event-error.filter';

/** Key under which the handler's contracts travel in Nest's pattern `extras`. */
export const INTEGRATION_EVENT_CONTRACTS = 'leadershipIntegrationEventContracts';

/** Options of {@link IntegrationEventHandler}. */
export interface IntegrationEventHandlerOptions {
  /**
   * The consumer (CloudEventsKafkaServer `transportId`) that runs this handler; default
   * `Transport.KAFKA`, the service's own consumer. A library that brings its own consumer group
   * (e.g. the authority projection) uses a symbol of its own, so its handlers are not registered
   * on the service's consumer and the other way round.
   */
  readonly consumer?: Transport | symbol;
}

/** `Array.isArray` does not narrow a readonly array. */
function isList(value: AnyIntegrationEventContract | readonly AnyIntegrationEventContract[]): value is readonly AnyIntegrationEventContract[] {
  return Array.isArray(value);
}

/** What the server reads back from a handler's extras (set by the decorator below). */
export function isIntegrationEventContractList(value: unknown): value is readonly AnyIntegrationEventContract[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c: unknown) => typeof c === 'object' && c !== null && 'type' in c && 'topic' in c && 'safeParse' in c && typeof c.safeParse === 'function')
  );
}

/**
 * `@EventPattern(topic)` for integration events: the handler receives the validated, typed
 * CloudEvent as `@Payload()` (and the KafkaContext as `@Ctx()`), run by the CloudEventsKafkaServer
 * through the idempotent processor (dedupe, retries with back-off, dead letters, commit after
 * the effect). All contracts must share one topic; types on the topic that no handler lists are
 * skipped.
 *
 *   @IntegrationEventHandler(MandateChanged)
 *   onMandateChanged(@Payload() event: CloudEventOf<typeof MandateChanged>) { return this.useCase.apply(event.data); }
 *
 * A thrown error is retried and finally parked; throw NonRetriableError to park at once.
 */
export function IntegrationEventHandler(
  contracts: AnyIntegrationEventContract | readonly AnyIntegrationEventContract[],
  options: IntegrationEventHandlerOptions = {},
): MethodDecorator {
  const list = isList(contracts) ? contracts : [contracts];
  const [first] = list;
  if (!first) throw new TypeError('@IntegrationEventHandler needs at least one contract');
  const topics = new Set(list.map((c) => c.topic));
  if (topics.size > 1) {
    throw new TypeError(`@IntegrationEventHandler: the contracts of one handler must share a topic (got ${[...topics].join(', ')})`);
  }
  return applyDecorators(
    EventPattern(first.topic, options.consumer ?? Transport.KAFKA, { [INTEGRATION_EVENT_CONTRACTS]: list }),
    UseFilters(IntegrationEventErrorFilter),
  );
}
