import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import { IntegrationEventRegistry, type AnyIntegrationEventContract, type CloudEventOf } from '@leadership/messaging-contracts';
import { decodeCloudEvent, type IncomingKafkaRecord } from '../shared/cloud-event.codec';

/** What the deserializer hands Nest: the topic as pattern, the validated CloudEvent as `@Payload()`. */
export interface CloudEventPacket<C extends AnyIntegrationEventContract> extends IncomingEvent {
  readonly pattern: string;
  readonly data: CloudEventOf<C>;
}

/**
 * Nest deserializer for CloudEvents 1.0 in Kafka binary mode: the `ce_*` headers
 * (`ce_id`, `ce_type`, `ce_source`, `ce_time`, `ce_subject`, `ce_dataschema`), `content-type` and
 * `traceparent` plus the JSON value become a typed envelope whose data the registered zod
 * contract validated (unknown keys refused). The pattern is the topic, as `@EventPattern(topic)`
 * expects.
 *
 * It takes the record as kafkajs delivers it (bytes): Nest's default KafkaParser would already
 * have turned JSON values into objects and lost the exact bytes the contract must see. Throws
 * CloudEventDecodeError with the rule the record broke; the idempotent processor parks such a
 * record on the dead-letter topic.
 */
export class CloudEventsDeserializer<C extends AnyIntegrationEventContract> implements ConsumerDeserializer {
  readonly registry: IntegrationEventRegistry<C>;

  constructor(contracts: readonly C[] | IntegrationEventRegistry<C>) {
    this.registry = contracts instanceof IntegrationEventRegistry ? contracts : new IntegrationEventRegistry(contracts);
  }

  deserialize(record: IncomingKafkaRecord): CloudEventPacket<C> {
    return { pattern: record.topic, data: decodeCloudEvent(this.registry, record) };
  }
}
