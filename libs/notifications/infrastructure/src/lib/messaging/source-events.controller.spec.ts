import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { CaseChanged } from '@leadership/case-distribution-contracts';
import { TaskReminderDue } from '@leadership/onboarding-contracts';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import type { ConsumedSourceEvent, RoleDirectory, StartWorkflowsHandler } from '@leadership/notifications-application';
import { SourceEventsController } from './source-events.controller';

/*
 * One Kafka consumer runs one handler per topic (CloudEventsKafkaServer refuses two at start-up, and
 * the service would not start): contracts that share a topic are listed on one handler.
 */
describe('source events controller', () => {
  it('has one handler per topic', () => {
    const prototype = SourceEventsController.prototype as unknown as Record<string, unknown>;
    const topics = Object.getOwnPropertyNames(prototype)
      .map((name) => prototype[name])
      .filter((method): method is object => typeof method === 'function')
      .flatMap((method) => (Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined) ?? []);
    expect(topics.length).toBeGreaterThanOrEqual(7);
    expect(new Set(topics).size).toBe(topics.length);
  });

  it('sends a framework warning to the delegator of the mandate relied on, or to the unit\'s formal managers when that mandate is unknown', async () => {
    const started: ConsumedSourceEvent[] = [];
    const workflows = { execute: async (event: ConsumedSourceEvent) => void started.push(event) } as unknown as StartWorkflowsHandler;
    const roles = { mandateScope: (id: string) => (id === 'm-known' ? { taskType: 'case-distribution', unitId: 'support', delegatorId: 'ana' } : undefined) } as unknown as RoleDirectory;
    const controller = new SourceEventsController(workflows, roles);
    const [example] = CaseChanged.examples;
    if (!example) throw new Error('no example');
    const decision = (mandateId: string | null) => ({ kind: 'assigned' as const, basis: 'mandate' as const, mandateId, mandateVersion: 1, actorId: 'ben', at: example.occurredAt, reason: null });
    const event = (mandateId: string | null, change: CloudEventOf<typeof CaseChanged>['data']['change'] = 'framework-warning-recorded') =>
      ({ id: `ce-${String(mandateId)}-${change}`, type: CaseChanged.type, source: 'case-distribution', data: { ...example, unitId: 'support', change, decisions: [decision(mandateId)] } }) as unknown as CloudEventOf<typeof CaseChanged>;
    await controller.onCaseChanged(event('m-known'));
    await controller.onCaseChanged(event('m-unknown'));
    await controller.onCaseChanged(event('m-known', 'assigned'));
    expect(started.map((e) => e.facts['warnTo'])).toEqual(['ana', 'role:formal-manager@unit:support']);
  });

  it("addresses a task reminder to its person, or to the role it names in the plan's unit (resolved at send time)", async () => {
    const started: ConsumedSourceEvent[] = [];
    const workflows = { execute: async (event: ConsumedSourceEvent) => void started.push(event) } as unknown as StartWorkflowsHandler;
    const controller = new SourceEventsController(workflows, { mandateScope: () => undefined } as unknown as RoleDirectory);
    const [example] = TaskReminderDue.examples;
    if (!example) throw new Error('no example');
    const reminder = (data: Partial<CloudEventOf<typeof TaskReminderDue>['data']>) =>
      ({ id: `ce-${started.length}`, type: TaskReminderDue.type, source: 'onboarding', data: { ...example, ...data } }) as unknown as CloudEventOf<typeof TaskReminderDue>;
    await controller.onOnboardingReminder(reminder({ recipientId: 'person-nina', recipientRole: null }));
    await controller.onOnboardingReminder(reminder({ kind: 'task-overdue', recipientId: null, recipientRole: 'onboarding' }));
    await controller.onOnboardingReminder(reminder({ kind: 'task-overdue-escalated', recipientId: null, recipientRole: 'formal-manager' }));
    expect(started.map((e) => [e.kind, e.facts['recipient']])).toEqual([
      ['task-due-soon', 'person-nina'],
      ['task-overdue', 'role:onboarding@unit:unit-support'],
      ['task-overdue-escalated', 'role:formal-manager@unit:unit-support'],
    ]);
  });
});
