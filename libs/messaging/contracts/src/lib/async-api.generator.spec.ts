import { z } from 'zod';
import { generateAsyncApiDocument } from './async-api.generator';
import { TRACEPARENT_PATTERN } from './cloud-event';
import { defineIntegrationEvent } from './define-integration-event';

const mandates = 'leadership.delegation.mandates.v1';
const mandateGranted = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-granted.v1',
  topic: mandates,
  version: 1,
  description: 'A mandate came into force.',
  keyDescription: 'mandate id',
  schema: z.strictObject({ mandateId: z.string(), delegateId: z.string() }),
  keyOf: (d) => d.mandateId,
  examples: [{ mandateId: 'm-1', delegateId: 'p-2' }],
});
const mandateRevoked = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-revoked.v1',
  topic: mandates,
  version: 1,
  description: 'A mandate was revoked.',
  schema: z.strictObject({ mandateId: z.string(), reason: z.string().optional() }),
  keyOf: (d) => d.mandateId,
});
const taskTypeAdded = defineIntegrationEvent({
  type: 'leadership.delegation.task-type-added.v1',
  topic: 'leadership.delegation.task-types.v1',
  version: 1,
  description: 'A leadership task type was added to the catalogue.',
  schema: z.strictObject({ key: z.string() }),
  keyOf: (d) => d.key,
});

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);

/** Follows a local `#/a/b` reference (RFC 6901 escapes). */
function resolveRef(doc: unknown, ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return at(doc, ...ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

describe('generateAsyncApiDocument', () => {
  const doc = generateAsyncApiDocument({
    title: 'delegation events',
    version: '1.2.0',
    contracts: [taskTypeAdded, mandateRevoked, mandateGranted],
    servers: { local: { host: '127.0.0.1:9092', description: 'npm run infra' } },
  });

  it('is an AsyncAPI 3.0 document with info, servers and a JSON default content type', () => {
    expect(doc).toMatchObject({
      asyncapi: '3.0.0',
      info: { title: 'delegation events', version: '1.2.0' },
      servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka' } },
      defaultContentType: 'application/json',
    });
  });

  it('has one channel per topic listing the messages on it, sorted', () => {
    const channels = at(doc, 'channels') as Json;
    expect(Object.keys(channels)).toEqual([mandates, 'leadership.delegation.task-types.v1']);
    expect(at(channels, mandates, 'address')).toBe(mandates);
    expect(at(channels, mandates, 'bindings', 'kafka', 'topic')).toBe(mandates);
    expect(Object.keys(at(channels, mandates, 'messages') as Json)).toEqual([mandateGranted.type, mandateRevoked.type]);
  });

  it('describes each message: payload schema, ce_* headers, key and examples', () => {
    const message = at(doc, 'components', 'messages', mandateGranted.type) as Json;
    expect(message).toMatchObject({
      name: mandateGranted.type,
      summary: 'A mandate came into force.',
      contentType: 'application/json',
      payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: mandateGranted.jsonSchema() },
      bindings: { kafka: { key: { type: 'string' } } },
      examples: [{ payload: { mandateId: 'm-1', delegateId: 'p-2' } }],
    });
    expect(at(message, 'bindings', 'kafka', 'key', 'description')).toMatch(/^mandate id/);
    const headers = at(message, 'headers', 'schema') as Json;
    expect(headers['required']).toEqual(
      expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'ce_subject', 'ce_dataschema', 'content-type']),
    );
    expect(at(headers, 'properties', 'ce_type', 'const')).toBe(mandateGranted.type);
    expect(at(headers, 'properties', 'ce_dataschema', 'const')).toBe(mandateGranted.dataSchema);
    expect(at(headers, 'properties', 'traceparent', 'pattern')).toBe(TRACEPARENT_PATTERN);
  });

  it('has a send operation per channel referring to its messages', () => {
    const operation = at(doc, 'operations', `send.${mandates}`) as Json;
    expect(operation['action']).toBe('send');
    expect(resolveRef(doc, at(operation, 'channel', '$ref') as string)).toBe(at(doc, 'channels', mandates));
    expect((operation['messages'] as unknown[]).length).toBe(2);
  });

  it('has only references that resolve', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(6);
    // Listing the unresolved ones names them in a failure.
    expect(refs.filter((ref) => resolveRef(doc, ref) === undefined)).toEqual([]);
  });

  it('is stable whatever the order of the contracts', () => {
    const again = generateAsyncApiDocument({
      title: 'delegation events',
      version: '1.2.0',
      contracts: [mandateGranted, taskTypeAdded, mandateRevoked],
      servers: { local: { host: '127.0.0.1:9092', description: 'npm run infra' } },
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
  });

  it('describes the receiving side when asked', () => {
    const consumer = generateAsyncApiDocument({ title: 'x', version: '1', contracts: [mandateGranted], action: 'receive' });
    expect(at(consumer, 'operations', `receive.${mandates}`, 'action')).toBe('receive');
  });

  it('refuses a contract listed twice', () => {
    expect(() => generateAsyncApiDocument({ title: 'x', version: '1', contracts: [mandateGranted, mandateGranted] })).toThrow(
      /listed twice/,
    );
  });
});
