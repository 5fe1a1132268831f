import type { AnyIntegrationEventContract, IntegrationEventContract, JsonSchema } from './define-integration-event';

/**
 * A CloudEvents 1.0 event as the platform publishes it: all optional attributes the platform
 * relies on are required here, data is JSON. Extension attributes (lower-case by the spec)
 * carry the domain event's metadata and the W3C trace context.
 */
export interface CloudEvent<Data = unknown, Type extends string = string> {
  readonly specversion: '1.0';
  /** Unique per event; the dedupe key of every consumer. */
  readonly id: string;
  readonly type: Type;
  /** Producing context, `/leadership/<context>`. */
  readonly source: string;
  /** When the underlying domain event was recorded (RFC 3339). */
  readonly time: string;
  /** Aggregate id the event is about; equals the Kafka key. */
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  /** URI of the contract's JSON Schema. */
  readonly dataschema: string;
  readonly data: Data;
  /** W3C trace context of the operation that caused the event. */
  readonly traceparent?: string;
  /** Id of the request or process the event belongs to. */
  readonly correlationid?: string;
  /** Id of the command or event that caused it. */
  readonly causationid?: string;
  /** Who caused it (a person id or a system component; never a name or e-mail). */
  readonly actor?: string;
}

/** The CloudEvent of a contract; for a union of contracts, a union discriminated by `type`. */
export type CloudEventOf<C> = C extends IntegrationEventContract<infer Type, infer Data> ? CloudEvent<Data, Type> : never;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding, binary content mode: attributes
 * as `ce_<name>` headers, data as the record value. `traceparent` is the plain W3C header that
 * OpenTelemetry's Kafka propagators read.
 */
export const CLOUD_EVENT_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  traceparent: 'traceparent',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  actor: 'ce_actor',
} as const;

/** W3C trace context `traceparent` (version 00). */
export const TRACEPARENT_PATTERN = '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

/** JSON Schema of the Kafka headers a contract's messages carry (for the AsyncAPI document). */
export function cloudEventHeadersSchema(contract: AnyIntegrationEventContract): JsonSchema {
  const h = CLOUD_EVENT_HEADERS;
  const text = (description: string) => ({ type: 'string', minLength: 1, description });
  return {
    type: 'object',
    required: [h.specversion, h.id, h.type, h.source, h.time, h.subject, h.dataschema, h.contentType],
    properties: {
      [h.specversion]: { type: 'string', const: '1.0', description: 'CloudEvents spec version' },
      [h.id]: text('event id, unique per event; consumers deduplicate by it'),
      [h.type]: { type: 'string', const: contract.type, description: 'CloudEvents type' },
      [h.source]: { type: 'string', const: contract.source, description: 'producing context' },
      [h.time]: { type: 'string', format: 'date-time', description: 'when the domain event was recorded' },
      [h.subject]: text(`${contract.keyDescription}; equals the Kafka key`),
      [h.dataschema]: { type: 'string', const: contract.dataSchema, description: 'URI of the payload JSON Schema' },
      [h.contentType]: { type: 'string', const: 'application/json' },
      [h.traceparent]: { type: 'string', pattern: TRACEPARENT_PATTERN, description: 'W3C trace context' },
      [h.correlationid]: text('request or process the event belongs to'),
      [h.causationid]: text('command or event that caused it'),
      [h.actor]: text('who caused it (person id or system component)'),
    },
  };
}
