import { CaseAssignmentEvent, CaseChanged } from '@leadership/case-distribution-contracts';
import { MandateChanged, MandateReminderDue } from '@leadership/delegation-contracts';
import type { AnyIntegrationEventContract } from '@leadership/messaging-contracts';
import { SOURCE_TYPES, WORKFLOWS } from '@leadership/notifications-domain';

/*
 * The domain names its sources by CloudEvent type and `change`/`kind` value (it may not import other
 * contexts' contracts); this layer sees both, so it checks that every workflow listens to something
 * that is published. Onboarding has no contracts yet: its sources are the names its issue plans.
 */
const consumed: readonly AnyIntegrationEventContract[] = [MandateChanged, MandateReminderDue, CaseAssignmentEvent, CaseChanged];
const planned: readonly string[] = [SOURCE_TYPES.onboardingBooking, SOURCE_TYPES.onboardingSessionReminder];

function kindsOf(contract: AnyIntegrationEventContract): readonly unknown[] {
  const properties = (contract.jsonSchema()['properties'] ?? {}) as Record<string, { enum?: readonly unknown[] }>;
  return properties['change']?.enum ?? properties['kind']?.enum ?? [];
}

describe('workflow sources', () => {
  it.each(WORKFLOWS.filter((w) => !planned.includes(w.sourceType)).map((w) => [w.key, w] as const))('%s listens to a published type and kind', (_key, workflow) => {
    const contract = consumed.find((c) => c.type === workflow.sourceType);
    expect(contract?.type).toBe(workflow.sourceType);
    if (contract) for (const kind of workflow.kinds) expect(kindsOf(contract)).toContain(kind);
  });
});
