import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { caseDistributionAsyncApi } from './case-distribution.asyncapi';
import { CaseChanged, CASES_TOPIC } from './case-changed.integration-event';

const [example] = CaseChanged.examples;

describe('CaseChanged contract', () => {
  it('is published on the context topic, keyed by the case id', () => {
    expect(parseTopicName(CASES_TOPIC)).toEqual({ context: 'case-distribution', stream: 'cases', major: 1 });
    expect(example).toBeDefined();
    if (!example) return;
    expect(CaseChanged.keyOf(example)).toBe(example.caseId);
    expect(CaseChanged.parse(example)).toEqual(example);
  });

  it('rejects unknown fields and missing ones without echoing the values', () => {
    expect(() => CaseChanged.parse({ ...example, closeReason: 'private text' })).toThrow(IntegrationEventValidationError);
    const result = CaseChanged.safeParse({ ...example, title: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('private text');
  });

  it('is documented in the AsyncAPI document with its JSON Schema', () => {
    const document = JSON.stringify(caseDistributionAsyncApi());
    expect(document).toContain(CASES_TOPIC);
    expect(document).toContain(CaseChanged.type);
    expect(CaseChanged.jsonSchema()).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['caseId', 'version']) });
  });
});
