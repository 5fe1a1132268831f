import { createHash } from 'node:crypto';
import { type RecordedEvent } from '@leadership/event-store';
import { categoryOf } from '@leadership/kernel';
import type { AnyIntegrationEventContract, IntegrationEventData } from '@leadership/messaging-contracts';
import { encodeCloudEvent, type OutgoingKafkaMessage } from '../shared/cloud-event.codec';

/** One integration event a mapper derived from a domain event. */
export interface MappedIntegrationEvent<C extends AnyIntegrationEventContract = AnyIntegrationEventContract> {
  readonly contract: C;
  readonly data: IntegrationEventData<C>;
  /** CloudEvents id; default: see {@link integrationEventId}. */
  readonly id?: string;
}

/**
 * Turns one domain event into zero or more integration events. Pure and deterministic: the
 * relay may map the same domain event again after a restart and must get the same messages.
 * `stateAfter` is the aggregate's state right after the event, for streams the relay tracks
 * (see AggregateStateTracker); undefined otherwise.
 */
export type IntegrationEventMapper<S = unknown> = (event: RecordedEvent, stateAfter?: S) => readonly MappedIntegrationEvent[];

/** Type-checked constructor of a mapped event: the data must fit the contract's type. */
export function integrationEvent<C extends AnyIntegrationEventContract>(
  contract: C,
  data: IntegrationEventData<C>,
  options: { readonly id?: string } = {},
): MappedIntegrationEvent<C> {
  return { contract, data, ...(options.id !== undefined ? { id: options.id } : {}) };
}

/** A domain event union member as deciders define it. */
export interface DomainEventShape {
  readonly type: string;
  readonly data: unknown;
}

/** One mapping function per domain event type; types without one are not published. */
export type DomainEventMappings<E extends DomainEventShape, S = unknown> = {
  readonly [K in E['type']]?: (
    event: RecordedEvent<K, Extract<E, { type: K }>['data']>,
    stateAfter: S | undefined,
  ) => MappedIntegrationEvent | readonly MappedIntegrationEvent[] | undefined;
};

/**
 * Builds a mapper from one function per domain event type of one aggregate (stream category).
 * Everything else maps to nothing, so an unmapped domain event never leaks to Kafka.
 */
export function mapDomainEvents<E extends DomainEventShape, S = unknown>(
  streamCategory: string,
  mappings: DomainEventMappings<E, S>,
): IntegrationEventMapper<S> {
  const table = mappings as Readonly<
    Record<string, ((event: RecordedEvent, stateAfter: S | undefined) => MappedIntegrationEvent | readonly MappedIntegrationEvent[] | undefined) | undefined>
  >;
  return (event, stateAfter) => {
    if (categoryOf(event.streamName) !== streamCategory) return [];
    const map = Object.prototype.hasOwnProperty.call(table, event.type) ? table[event.type] : undefined;
    const result = map?.(event, stateAfter);
    if (result === undefined) return [];
    return isMapped(result) ? [result] : result;
  };
}

function isMapped(value: MappedIntegrationEvent | readonly MappedIntegrationEvent[]): value is MappedIntegrationEvent {
  return !Array.isArray(value);
}

/** One mapper out of several (e.g. one per aggregate, or v1 and v2 during a migration); outputs in order. */
export function combineMappers<S>(...mappers: readonly IntegrationEventMapper<S>[]): IntegrationEventMapper<S> {
  return (event, stateAfter) => mappers.flatMap((mapper) => mapper(event, stateAfter));
}

/** Namespace of the name-based ids derived below (a fixed random UUID). */
const ID_NAMESPACE = Buffer.from('5b1f6c1e8a2d4f7b9c3e0d4a6f8b2c71', 'hex');

/**
 * The CloudEvents id of the `index`-th integration event mapped from a domain event: the domain
 * event's own id for the first, so "ce_id = event id" in the common one-to-one case, and a
 * name-based UUID (version 5 layout, SHA-1 of namespace + domain id + type + index) for further
 * ones. Deterministic, so a re-publication after a crash carries the same ids and consumers
 * drop it as a duplicate.
 */
export function integrationEventId(domainEventId: string, index: number, type: string): string {
  if (index === 0) return domainEventId;
  const hash = createHash('sha1').update(ID_NAMESPACE).update(`${domainEventId}/${type}/${index}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A mapper threw, or produced data that breaks its contract: a defect, not a transient fault. */
export class IntegrationEventMappingError extends Error {
  override readonly name = 'IntegrationEventMappingError';
  constructor(
    readonly event: Pick<RecordedEvent, 'streamName' | 'revision' | 'position' | 'type'>,
    cause: unknown,
  ) {
    super(
      `mapping ${event.type} at ${event.streamName}@${event.revision} (position ${event.position}) failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}

/**
 * Maps a domain event and encodes the result as Kafka records: ids as above, time = recordedAt,
 * trace and correlation metadata carried over as headers. Throws IntegrationEventMappingError.
 */
export function mapToKafkaMessages<S>(mapper: IntegrationEventMapper<S>, event: RecordedEvent, stateAfter?: S): OutgoingKafkaMessage[] {
  try {
    const mapped = mapper(event, stateAfter);
    const { eventId, traceparent, correlationId, causationId, actor } = event.metadata;
    return mapped.map((m, index) =>
      encodeCloudEvent(m.contract, {
        id: m.id ?? integrationEventId(eventId, index, m.contract.type),
        time: event.recordedAt,
        data: m.data,
        ...(typeof traceparent === 'string' ? { traceparent } : {}),
        ...(typeof correlationId === 'string' ? { correlationId } : {}),
        ...(typeof causationId === 'string' ? { causationId } : {}),
        ...(typeof actor === 'string' ? { actor } : {}),
      }),
    );
  } catch (error) {
    throw new IntegrationEventMappingError(event, error);
  }
}
