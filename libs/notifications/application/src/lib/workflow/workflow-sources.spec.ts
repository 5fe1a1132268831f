import { CaseAssignmentEvent, CaseChanged } from '@leadership/case-distribution-contracts';
import { MandateChanged, MandateReminderDue } from '@leadership/delegation-contracts';
import type { AnyIntegrationEventContract } from '@leadership/messaging-contracts';
import { WORKFLOWS } from '@leadership/notifications-domain';
import { BookingChanged, SessionChanged, SessionReminderDue, TaskReminderDue } from '@leadership/onboarding-contracts';

/*
 * The domain names its sources by CloudEvent type and `change`/`kind` value (it may not import other
 * contexts' contracts); this layer sees both, so it checks that every workflow listens to something
 * that is published.
 */
const consumed: readonly AnyIntegrationEventContract[] = [MandateChanged, MandateReminderDue, CaseAssignmentEvent, CaseChanged, BookingChanged, SessionChanged, SessionReminderDue, TaskReminderDue];

function kindsOf(contract: AnyIntegrationEventContract): readonly unknown[] {
  const properties = (contract.jsonSchema()['properties'] ?? {}) as Record<string, { enum?: readonly unknown[]; const?: unknown }>;
  const field = properties['change'] ?? properties['kind'];
  return field?.enum ?? (field && 'const' in field ? [field.const] : []);
}

describe('workflow sources', () => {
  it.each(WORKFLOWS.map((w) => [w.key, w] as const))('%s listens to a published type and kind', (_key, workflow) => {
    const contract = consumed.find((c) => c.type === workflow.sourceType);
    expect(contract?.type).toBe(workflow.sourceType);
    if (contract) for (const kind of workflow.kinds) expect(kindsOf(contract)).toContain(kind);
  });
});
