import { IntegrationEventRegistry, IntegrationEventValidationError, type IntegrationEventData } from '@leadership/messaging-contracts';
import { mandateGranted, mandateRevoked, MANDATES_TOPIC } from '../../test/sample-contracts';
import {
  CloudEventDecodeError,
  decodeCloudEvent,
  encodeCloudEvent,
  type CloudEventInput,
  type IncomingKafkaRecord,
  type OutgoingKafkaMessage,
} from './cloud-event.codec';

const registry = new IntegrationEventRegistry([mandateGranted, mandateRevoked]);
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const granted = { mandateId: 'm-1', delegateId: 'p-2', authorities: ['assign-cases'] };

function encoded(overrides: Partial<CloudEventInput<IntegrationEventData<typeof mandateGranted>>> = {}): OutgoingKafkaMessage {
  return encodeCloudEvent(mandateGranted, {
    id: 'e-1',
    time: '2025-03-01T10:00:00.000Z',
    data: granted,
    traceparent,
    correlationId: 'c-1',
    causationId: 'cmd-1',
    actor: 'p-1',
    ...overrides,
  });
}

/** What a kafkajs consumer hands over: Buffers everywhere. */
function received(message: OutgoingKafkaMessage, change: (headers: Record<string, Buffer | string | string[]>) => void = () => undefined): IncomingKafkaRecord {
  const headers: Record<string, Buffer | string | string[]> = Object.fromEntries(
    Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)]),
  );
  change(headers);
  return { topic: message.topic, key: Buffer.from(message.key), value: Buffer.from(message.value), headers };
}

describe('CloudEvents binary-mode codec', () => {
  it('encodes the attributes as ce_* headers, the aggregate id as key and subject, the data as JSON', () => {
    const message = encoded();
    expect(message).toEqual({
      topic: MANDATES_TOPIC,
      key: 'm-1',
      value: JSON.stringify(granted),
      headers: {
        ce_specversion: '1.0',
        ce_id: 'e-1',
        ce_type: 'leadership.delegation.mandate-granted.v1',
        ce_source: '/leadership/delegation',
        ce_time: '2025-03-01T10:00:00.000Z',
        ce_subject: 'm-1',
        ce_dataschema: 'urn:leadership:schema:leadership.delegation.mandate-granted.v1',
        'content-type': 'application/json',
        traceparent,
        ce_correlationid: 'c-1',
        ce_causationid: 'cmd-1',
        ce_actor: 'p-1',
      },
    });
  });

  it('drops an invalid traceparent instead of forwarding it', () => {
    expect(encoded({ traceparent: 'garbage' }).headers).not.toHaveProperty('traceparent');
  });

  it('refuses data that breaks the contract, unknown keys included', () => {
    expect(() => encoded({ data: { ...granted, email: 'x@example.com' } as never })).toThrow(IntegrationEventValidationError);
    expect(() => encoded({ data: { mandateId: 'm-1' } as never })).toThrow(/delegateId/);
  });

  it('refuses an empty id and a time that is not RFC 3339', () => {
    expect(() => encoded({ id: '' })).toThrow(/id must not be empty/);
    expect(() => encoded({ time: '1 March 2025' })).toThrow(/not RFC 3339/);
  });

  it('decodes what it encoded into a typed CloudEvent', () => {
    const event = decodeCloudEvent(registry, received(encoded()));
    expect(event).toEqual({
      specversion: '1.0',
      id: 'e-1',
      type: 'leadership.delegation.mandate-granted.v1',
      source: '/leadership/delegation',
      time: '2025-03-01T10:00:00.000Z',
      subject: 'm-1',
      datacontenttype: 'application/json',
      dataschema: mandateGranted.dataSchema,
      data: granted,
      traceparent,
      correlationid: 'c-1',
      causationid: 'cmd-1',
      actor: 'p-1',
    });
    if (event.type === 'leadership.delegation.mandate-granted.v1') expect(event.data.authorities).toEqual(['assign-cases']);
  });

  it('accepts a content type with parameters and string headers', () => {
    const record = received(encoded(), (h) => {
      h['content-type'] = 'application/json; charset=utf-8';
      h['ce_id'] = 'e-1';
    });
    expect(decodeCloudEvent(registry, record).id).toBe('e-1');
  });

  const failures: [string, (h: Record<string, Buffer | string | string[]>) => void, string][] = [
    ['no ce_id', (h) => delete h['ce_id'], 'missing-header'],
    ['an empty ce_source', (h) => (h['ce_source'] = ''), 'missing-header'],
    ['spec version 0.3', (h) => (h['ce_specversion'] = '0.3'), 'invalid-header'],
    ['a type without contract', (h) => (h['ce_type'] = 'leadership.delegation.mandate-lost.v1'), 'unknown-type'],
    ['a time that is not RFC 3339', (h) => (h['ce_time'] = 'yesterday'), 'invalid-header'],
    ['another data schema', (h) => (h['ce_dataschema'] = 'urn:other'), 'invalid-header'],
    ['an XML content type', (h) => (h['content-type'] = 'application/xml'), 'invalid-header'],
    ['a repeated header', (h) => (h['ce_id'] = ['a', 'b']), 'invalid-header'],
  ];
  it.each(failures)('rejects a record with %s', (_, change, reason) => {
    const record = received(encoded(), change);
    expect(() => decodeCloudEvent(registry, record)).toThrow(CloudEventDecodeError);
    expect(() => decodeCloudEvent(registry, record)).toThrow(new RegExp(`^${reason}:`));
  });

  it('rejects a type read from another topic than its contract names', () => {
    const record = { ...received(encoded()), topic: 'leadership.delegation.other.v1' };
    expect(() => decodeCloudEvent(registry, record)).toThrow(/^wrong-topic:/);
  });

  it('rejects a value that is not JSON, or missing', () => {
    expect(() => decodeCloudEvent(registry, { ...received(encoded()), value: Buffer.from('{not json') })).toThrow(/^invalid-json:/);
    expect(() => decodeCloudEvent(registry, { ...received(encoded()), value: null })).toThrow(/^invalid-json:/);
  });

  it('rejects data that breaks the contract, naming the path', () => {
    const value = Buffer.from(JSON.stringify({ ...granted, unexpected: true }));
    expect(() => decodeCloudEvent(registry, { ...received(encoded()), value })).toThrow(/^invalid-data: .*Unrecognized key: "unexpected"/);
  });
});
