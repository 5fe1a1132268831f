import { z } from 'zod';
import { ContractDefinitionError, defineIntegrationEvent, IntegrationEventValidationError } from './define-integration-event';

const mandateId = '3f1e2d4c-5b6a-4789-8abc-def012345678';

const mandateGranted = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-granted.v1',
  topic: 'leadership.delegation.mandates.v1',
  version: 1,
  description: 'A delegate accepted a mandate; it is in force from validFrom.',
  keyDescription: 'mandate id',
  schema: z.strictObject({
    mandateId: z.uuid(),
    delegateId: z.string().min(1),
    authorities: z.array(z.string()).min(1),
    period: z.strictObject({ from: z.iso.datetime(), until: z.iso.datetime() }),
    note: z.string().optional(),
  }),
  keyOf: (data) => data.mandateId,
  examples: [
    {
      mandateId,
      delegateId: 'person-2',
      authorities: ['assign-cases'],
      period: { from: '2025-01-01T00:00:00Z', until: '2025-06-30T00:00:00Z' },
    },
  ],
});

const valid = mandateGranted.examples[0]!;

describe('defineIntegrationEvent', () => {
  it('derives context, source, data schema URI and key from the definition', () => {
    expect(mandateGranted).toMatchObject({
      context: 'delegation',
      source: '/leadership/delegation',
      dataSchema: 'urn:leadership:schema:leadership.delegation.mandate-granted.v1',
      keyDescription: 'mandate id',
    });
    expect(mandateGranted.keyOf(valid)).toBe(mandateId);
  });

  it('parses valid data and returns it typed', () => {
    const data = mandateGranted.parse(valid);
    expect(data.period.until).toBe('2025-06-30T00:00:00Z');
  });

  it('rejects unknown keys at every level', () => {
    expect(() => mandateGranted.parse({ ...valid, extra: 1 })).toThrow(IntegrationEventValidationError);
    expect(() => mandateGranted.parse({ ...valid, period: { ...valid.period, timezone: 'UTC' } })).toThrow(
      /\/period Unrecognized key: "timezone"/,
    );
  });

  it('reports every issue with its path, never the offending value', () => {
    const result = mandateGranted.safeParse({ ...valid, mandateId: 'not-a-uuid', delegateId: 'secret@example.com', authorities: [] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.type).toBe('leadership.delegation.mandate-granted.v1');
    expect(result.error.issues.map((i) => i.path)).toEqual(['/mandateId', '/authorities']);
    expect(result.error.message).not.toContain('not-a-uuid');
  });

  it('generates a strict draft-07 JSON Schema identified by the data schema URI', () => {
    const schema = mandateGranted.jsonSchema();
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: mandateGranted.dataSchema,
      title: mandateGranted.type,
      type: 'object',
      additionalProperties: false,
      required: ['mandateId', 'delegateId', 'authorities', 'period'],
    });
    expect((schema['properties'] as Record<string, { additionalProperties?: boolean }>)['period']?.additionalProperties).toBe(false);
  });

  const base = {
    type: 'leadership.delegation.mandate-granted.v1',
    topic: 'leadership.delegation.mandates.v1',
    version: 1,
    description: 'd',
    schema: z.strictObject({ id: z.string() }),
    keyOf: (data: { id: string }) => data.id,
  } as const;

  it.each([
    ['a loose nested object', { schema: z.strictObject({ id: z.string(), inner: z.object({ a: z.string() }) }) }, /objects at \/properties\/inner accept unknown keys/],
    ['a loose root object', { schema: z.object({ id: z.string() }) }, /objects at \/ accept unknown keys/],
    ['a type that is not versioned', { type: 'leadership.delegation.mandate-granted' }, /type must be/],
    ['a type in camelCase', { type: 'leadership.delegation.mandateGranted.v1' }, /type must be/],
    ['a major that differs from the topic', { type: 'leadership.delegation.mandate-granted.v2', version: 2 }, /same major/],
    ['a version that differs from type and topic', { version: 2 }, /same major/],
    ['a context that differs from the topic', { type: 'leadership.onboarding.mandate-granted.v1' }, /differs from topic context/],
    ['a bad topic', { topic: 'mandates' }, /invalid topic name/],
    ['no description', { description: ' ' }, /description is required/],
    ['a transform', { schema: z.strictObject({ id: z.string().transform((s) => s.length) }) }, /no JSON Schema representation/],
    ['an invalid example', { examples: [{ id: 1 }] }, /example 0 is invalid/],
  ])('refuses %s', (_, override, message) => {
    expect(() => defineIntegrationEvent({ ...base, ...override } as never)).toThrow(ContractDefinitionError);
    expect(() => defineIntegrationEvent({ ...base, ...override } as never)).toThrow(message);
  });

  it('accepts records, whose extra keys are declared', () => {
    const contract = defineIntegrationEvent({ ...base, schema: z.strictObject({ id: z.string(), labels: z.record(z.string(), z.string()) }), keyOf: (d) => d.id });
    expect(contract.parse({ id: 'a', labels: { team: 'x' } })).toEqual({ id: 'a', labels: { team: 'x' } });
  });
});
