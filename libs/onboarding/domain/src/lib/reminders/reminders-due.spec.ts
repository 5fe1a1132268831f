import { fold } from '@leadership/kernel';
import { CLEO, session, STOCKHOLM, task } from '../../spec/onboarding.fixtures';
import { planDecider, type ExistingPlan } from '../plan/plan.decider';
import type { PlanCommand } from '../plan/plan.commands';
import type { PlanEvent } from '../plan/plan.events';
import type { ExistingSession } from '../session/session.decider';
import { toStepDefinition, type StepInput } from '../step/step-definition';
import { remindersDue, sessionReminderDue, type TaskReminder } from './reminders-due';

const NINA = 'person-nina';

/** A plan for Nina starting Monday 19 October 2026 in Stockholm (summer time until the 25th). */
function planWith(steps: StepInput[], extra: PlanCommand[] = []): ExistingPlan {
  const generate: PlanCommand = {
    type: 'GeneratePlan',
    data: {
      newcomerId: NINA,
      at: '2026-10-12T08:00:00.000Z',
      stamp: CLEO,
      unitId: 'unit-support',
      startDate: '2026-10-19',
      timeZone: STOCKHOLM,
      programmes: [{ programmeId: 'p', version: 1, unitId: 'unit-support', title: 'p', steps: steps.map(toStepDefinition) }],
    },
  };
  const events: PlanEvent[] = [];
  for (const command of [generate, ...extra]) events.push(...planDecider.decide(command, fold(planDecider, events)));
  return fold(planDecider, events) as ExistingPlan;
}

// Due Monday 26 October 15:00 CET (the clocks went back on the 25th).
const QUESTIONS = task('questions', { dayOffset: 7, time: '15:00' });
const brief = (reminders: readonly TaskReminder[]) => reminders.map((r) => [r.kind, r.daysBefore, r.fireAt, 'personId' in r.recipient ? r.recipient.personId : `role:${r.recipient.role}`]);

describe('remindersDue', () => {
  it('reminds the owner 7 and 2 days before at 09:00 in their zone, across the October change', () => {
    const plan = planWith([QUESTIONS]);
    expect(remindersDue(plan, '2026-10-19T06:59:59.000Z')).toEqual([]);
    // 19 October 09:00 CEST = 07:00Z; 24 October 09:00 CEST = 07:00Z (still summer time).
    expect(brief(remindersDue(plan, '2026-10-19T07:00:00.000Z'))).toEqual([['task-due-soon', 7, '2026-10-19T07:00:00.000Z', NINA]]);
    expect(brief(remindersDue(plan, '2026-10-24T07:00:00.000Z'))).toEqual([['task-due-soon', 2, '2026-10-24T07:00:00.000Z', NINA]]);
  });

  it('uses a named owner\'s own zone', () => {
    const plan = planWith([task('call', { dayOffset: 7, time: '15:00', owner: { personId: 'person-sam' } })]);
    // Sam is in New York: 09:00 EDT on 19 October = 13:00Z.
    expect(brief(remindersDue(plan, '2026-10-19T13:00:00.000Z', (id) => (id === 'person-sam' ? 'America/New_York' : undefined)))).toEqual([
      ['task-due-soon', 7, '2026-10-19T13:00:00.000Z', 'person-sam'],
    ]);
    expect(remindersDue(plan, '2026-10-19T12:59:00.000Z', () => 'America/New_York')).toEqual([]);
  });

  it('counts a deadline at midnight from the task\'s own day (a task on Tuesday is reminded of on the Tuesday a week before)', () => {
    const plan = planWith([task('policies', { dayOffset: 8 })]);
    expect(plan.status === 'active' && plan.steps[0]?.due).toBe('2026-10-27T23:00:00.000Z');
    expect(brief(remindersDue(plan, '2026-10-20T07:00:00.000Z'))).toEqual([['task-due-soon', 7, '2026-10-20T07:00:00.000Z', NINA]]);
  });

  it('sends role owners\' reminders to the role in the unit, and none for a task without owner', () => {
    const plan = planWith([task('laptop', { dayOffset: 7, owner: 'it' }), task('orphan', { dayOffset: 7, owner: undefined }), task('review', { dayOffset: 7, owner: 'manager' })]);
    expect(remindersDue(plan, '2026-10-24T08:00:00.000Z').map((r) => [r.stepKey, r.recipient])).toEqual([
      ['laptop', { role: 'it', unitId: 'unit-support' }],
      ['review', { role: 'formal-manager', unitId: 'unit-support' }],
    ]);
  });

  it('escalates an overdue task to the onboarding manager at the deadline, then to the formal manager 3 days later at 09:00', () => {
    const plan = planWith([QUESTIONS]);
    expect(brief(remindersDue(plan, '2026-10-26T14:00:00.000Z'))).toEqual([['task-overdue', null, '2026-10-26T14:00:00.000Z', 'person-cleo']]);
    expect(brief(remindersDue(plan, '2026-10-29T08:00:00.000Z'))).toEqual([
      ['task-overdue', null, '2026-10-26T14:00:00.000Z', 'person-cleo'],
      ['task-overdue-escalated', null, '2026-10-29T08:00:00.000Z', 'role:formal-manager'],
    ]);
  });

  it('stops for done and removed tasks and for completed plans, and follows a hand-over', () => {
    const done: PlanCommand = { type: 'CompleteTask', data: { newcomerId: NINA, at: '2026-10-20T10:00:00.000Z', key: 'questions', actorId: NINA } };
    expect(remindersDue(planWith([QUESTIONS], [done]), '2026-10-30T08:00:00.000Z')).toEqual([]);
    const completed: PlanCommand = { type: 'CompletePlan', data: { newcomerId: NINA, at: '2026-10-20T10:00:00.000Z', stamp: CLEO } };
    expect(remindersDue(planWith([QUESTIONS], [completed]), '2026-10-30T08:00:00.000Z')).toEqual([]);
    const handOver: PlanCommand = { type: 'HandOverPlan', data: { newcomerId: NINA, at: '2026-10-20T10:00:00.000Z', actorId: 'system', toOrganiserId: 'person-dan', reason: 'mandate-passed', mandateId: 'm-dan' } };
    expect(remindersDue(planWith([QUESTIONS], [handOver]), '2026-10-27T08:00:00.000Z').map((r) => r.recipient)).toEqual([{ personId: 'person-dan' }]);
  });

  it('gives a moved deadline new reminders (the id carries the deadline)', () => {
    const plan = planWith([QUESTIONS]);
    const moved = planWith([QUESTIONS], [{ type: 'ChangeStep', data: { newcomerId: NINA, at: '2026-10-20T10:00:00.000Z', stamp: CLEO, key: 'questions', changes: { dayOffset: 8 } } }]);
    const [before] = remindersDue(plan, '2026-10-24T08:00:00.000Z');
    const [after] = remindersDue(moved, '2026-10-25T08:00:00.000Z');
    expect(before?.reminderId).toBeDefined();
    expect(after?.reminderId).not.toBe(before?.reminderId);
  });

  it('fires every reminder exactly once for a scheduler that restarts at random and is down for hours (nothing kept but the published ids)', () => {
    const plan = planWith([QUESTIONS, task('policies', { dayOffset: 1 }), task('laptop', { dayOffset: 3, owner: 'it' })]);
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const published = new Map<string, TaskReminder>();
    let now = Date.parse('2026-10-10T00:00:00.000Z');
    const end = Date.parse('2026-11-05T00:00:00.000Z');
    while (now < end) {
      // A pass: everything due, published under its id (a repeat would be ignored by the store).
      for (const reminder of remindersDue(plan, new Date(now).toISOString())) if (!published.has(reminder.reminderId)) published.set(reminder.reminderId, reminder);
      // Next pass in 5 minutes, or after a crash and a restart up to 20 hours later.
      now += random() < 0.05 ? Math.floor(random() * 20) * 3_600_000 : 300_000;
    }
    const sent = [...published.values()];
    for (const key of ['questions', 'policies', 'laptop']) {
      const mine = sent.filter((r) => r.stepKey === key);
      expect(mine.filter((r) => r.kind === 'task-overdue')).toHaveLength(1);
      expect(mine.filter((r) => r.kind === 'task-overdue-escalated')).toHaveLength(1);
      expect(mine.filter((r) => r.kind === 'task-due-soon').length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('sessionReminderDue', () => {
  const plan = planWith([session('welcome', { dayOffset: 7, time: '10:00' })]);
  const step = plan.status === 'active' ? plan.steps[0] : undefined;
  const sessionOf = (status: ExistingSession['status'] = 'scheduled'): ExistingSession => ({
    status,
    sessionId: step?.sessionId ?? '',
    planId: NINA,
    stepKey: 'welcome',
    unitId: 'unit-support',
    organiserId: 'person-cleo',
    attendeeIds: [NINA],
    presenterId: 'person-ben',
    bookingId: 'b1',
    sequence: 1,
    changedAt: '2026-10-12T08:00:00.000Z',
    title: 'Welcome',
    from: step?.start ?? '',
    to: step?.end ?? '',
    location: null,
    link: null,
    capacity: null,
    presenterSlot: null,
  });

  it('reminds at 09:00 local the day before, until the session starts', () => {
    // The session is Monday 26 October 10:00 CET; the day before is the 25th, already winter time.
    expect(sessionReminderDue(sessionOf(), STOCKHOLM, '2026-10-25T07:59:00.000Z')).toBeUndefined();
    expect(sessionReminderDue(sessionOf(), STOCKHOLM, '2026-10-25T08:00:00.000Z')).toMatchObject({ kind: 'session-tomorrow', fireAt: '2026-10-25T08:00:00.000Z', presenterId: 'person-ben', newcomerIds: [NINA] });
    expect(sessionReminderDue(sessionOf(), STOCKHOLM, '2026-10-26T09:00:00.000Z')).toBeUndefined();
    expect(sessionReminderDue(sessionOf('cancelled'), STOCKHOLM, '2026-10-25T08:00:00.000Z')).toBeUndefined();
  });
});
