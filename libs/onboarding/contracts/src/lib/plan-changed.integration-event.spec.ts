import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { onboardingAsyncApi } from './onboarding.asyncapi';
import { PlanChanged, PLANS_TOPIC } from './plan-changed.integration-event';

const [example] = PlanChanged.examples;

describe('PlanChanged contract', () => {
  it('is published on the context topic, keyed by the plan id', () => {
    expect(parseTopicName(PLANS_TOPIC)).toEqual({ context: 'onboarding', stream: 'plans', major: 1 });
    expect(example).toBeDefined();
    if (!example) return;
    expect(PlanChanged.keyOf(example)).toBe(example.planId);
    expect(PlanChanged.parse(example)).toEqual(example);
  });

  it('rejects unknown fields and missing ones without echoing the values', () => {
    expect(() => PlanChanged.parse({ ...example, closeReason: 'private text' })).toThrow(IntegrationEventValidationError);
    const result = PlanChanged.safeParse({ ...example, title: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('private text');
  });

  it('is documented in the AsyncAPI document with its JSON Schema', () => {
    const document = JSON.stringify(onboardingAsyncApi());
    expect(document).toContain(PLANS_TOPIC);
    expect(document).toContain(PlanChanged.type);
    expect(PlanChanged.jsonSchema()).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['planId', 'version']) });
  });
});
