import {
  CLOUD_EVENT_HEADERS as H,
  TRACEPARENT_PATTERN,
  type AnyIntegrationEventContract,
  type CloudEvent,
  type CloudEventOf,
  type IntegrationEventData,
  type IntegrationEventRegistry,
} from '@leadership/messaging-contracts';

/** A record ready for kafkajs `send`/`sendBatch`: CloudEvents binary mode. */
export interface OutgoingKafkaMessage {
  readonly topic: string;
  /** Aggregate id: every event of one aggregate lands on one partition, in order. */
  readonly key: string;
  /** The event data as JSON. */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Header values as kafkajs delivers them. */
export type IncomingKafkaHeaders = Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;

/** A record as a consumer receives it (kafkajs `KafkaMessage` plus its topic). */
export interface IncomingKafkaRecord {
  readonly topic: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: IncomingKafkaHeaders;
}

/** What the producer side knows about an event besides its data. */
export interface CloudEventInput<Data> {
  readonly id: string;
  /** RFC 3339; the domain event's recordedAt. */
  readonly time: string;
  readonly data: Data;
  readonly traceparent?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
}

/** Why a record is not a valid CloudEvent of a known contract. */
export type CloudEventDecodeFailure =
  | 'missing-header'
  | 'invalid-header'
  | 'unknown-type'
  | 'wrong-topic'
  | 'invalid-json'
  | 'invalid-data';

/** The record cannot be turned into an event: a poison message for the consumer. */
export class CloudEventDecodeError extends Error {
  override readonly name = 'CloudEventDecodeError';
  constructor(
    readonly reason: CloudEventDecodeFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${message}`, options);
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const TRACEPARENT = new RegExp(TRACEPARENT_PATTERN);
const JSON_CONTENT_TYPE = /^application\/json\s*(;.*)?$/i;

function isTime(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Encodes one integration event: validates the data against its contract (unknown keys are
 * refused), keys it by the contract's aggregate id and writes the CloudEvents attributes as
 * `ce_*` headers. An invalid traceparent is dropped rather than forwarded (W3C: restart the trace).
 */
export function encodeCloudEvent<C extends AnyIntegrationEventContract>(
  contract: C,
  input: CloudEventInput<IntegrationEventData<C>>,
): OutgoingKafkaMessage {
  if (input.id.trim() === '') throw new TypeError(`${contract.type}: event id must not be empty`);
  if (!isTime(input.time)) throw new TypeError(`${contract.type}: time "${input.time}" is not RFC 3339`);
  const data = contract.parse(input.data);
  const key = contract.keyOf(data);
  if (key === '') throw new TypeError(`${contract.type}: keyOf returned an empty key`);
  const headers: Record<string, string> = {
    [H.specversion]: '1.0',
    [H.id]: input.id,
    [H.type]: contract.type,
    [H.source]: contract.source,
    [H.time]: input.time,
    [H.subject]: key,
    [H.dataschema]: contract.dataSchema,
    [H.contentType]: 'application/json',
  };
  if (input.traceparent && TRACEPARENT.test(input.traceparent)) headers[H.traceparent] = input.traceparent;
  if (input.correlationId) headers[H.correlationid] = input.correlationId;
  if (input.causationId) headers[H.causationid] = input.causationId;
  if (input.actor) headers[H.actor] = input.actor;
  return { topic: contract.topic, key, value: JSON.stringify(data), headers };
}

/** A single header as text; undefined when absent. Repeated headers are ambiguous and refused. */
function header(headers: IncomingKafkaHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    if (raw.length !== 1) throw new CloudEventDecodeError('invalid-header', `header ${name} occurs ${raw.length} times`);
    return String(raw[0]);
  }
  return raw.toString();
}

function required(headers: IncomingKafkaHeaders | undefined, name: string): string {
  const value = header(headers, name);
  if (value === undefined || value === '') throw new CloudEventDecodeError('missing-header', `header ${name} is missing`);
  return value;
}

/**
 * Decodes a CloudEvents binary-mode record of one of the registry's contracts. Checks the
 * headers (spec version, id, known type on its own topic, source, time, subject, data schema,
 * JSON content type) and validates the data against the contract, unknown keys refused.
 * Throws CloudEventDecodeError saying which rule the record broke.
 */
export function decodeCloudEvent<C extends AnyIntegrationEventContract>(
  registry: IntegrationEventRegistry<C>,
  record: IncomingKafkaRecord,
): CloudEventOf<C> {
  const { headers } = record;
  const specversion = required(headers, H.specversion);
  if (specversion !== '1.0') throw new CloudEventDecodeError('invalid-header', `${H.specversion} "${specversion}" is not 1.0`);
  const id = required(headers, H.id);
  const type = required(headers, H.type);
  const contract = registry.get(type);
  if (!contract) throw new CloudEventDecodeError('unknown-type', `no contract for ${H.type} "${type}"`);
  if (contract.topic !== record.topic) {
    throw new CloudEventDecodeError('wrong-topic', `${type} belongs on ${contract.topic}, not on ${record.topic}`);
  }
  const source = required(headers, H.source);
  const time = required(headers, H.time);
  if (!isTime(time)) throw new CloudEventDecodeError('invalid-header', `${H.time} "${time}" is not RFC 3339`);
  const subject = required(headers, H.subject);
  const dataschema = header(headers, H.dataschema) ?? contract.dataSchema;
  if (dataschema !== contract.dataSchema) {
    throw new CloudEventDecodeError('invalid-header', `${H.dataschema} "${dataschema}" is not ${contract.dataSchema}`);
  }
  const contentType = required(headers, H.contentType);
  if (!JSON_CONTENT_TYPE.test(contentType)) throw new CloudEventDecodeError('invalid-header', `content-type "${contentType}" is not application/json`);
  if (record.value === null || record.value.length === 0) throw new CloudEventDecodeError('invalid-json', 'the record has no value');

  let json: unknown;
  try {
    json = JSON.parse(record.value.toString());
  } catch (error) {
    throw new CloudEventDecodeError('invalid-json', `the value is not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = contract.safeParse(json);
  if (!parsed.success) throw new CloudEventDecodeError('invalid-data', parsed.error.message, { cause: parsed.error });

  const traceparent = header(headers, H.traceparent);
  const correlationid = header(headers, H.correlationid);
  const causationid = header(headers, H.causationid);
  const actor = header(headers, H.actor);
  const event: CloudEvent = {
    specversion: '1.0',
    id,
    type,
    source,
    time,
    subject,
    datacontenttype: 'application/json',
    dataschema,
    data: parsed.data,
    ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
    ...(correlationid ? { correlationid } : {}),
    ...(causationid ? { causationid } : {}),
    ...(actor ? { actor } : {}),
  };
  return event as CloudEventOf<C>;
}
