import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { id, instant, stepKey } from './onboarding-contract-parts';

/** Reminders and escalations, an event stream of its own (the plans topic is compacted state). */
export const REMINDERS_TOPIC = 'leadership.onboarding.reminders.v1';

export const taskReminderKinds = ['task-due-soon', 'task-overdue', 'task-overdue-escalated'] as const;

/**
 * A task of a newcomer's plan is due soon (7 and 2 days before, at 09:00 in the recipient's zone)
 * or overdue (to the onboarding manager at the deadline, then to the formal manager). The scheduler
 * derives what is due from the plan and the time alone, and `reminderId` is stable, so a restart
 * neither loses nor repeats one.
 */
export const TaskReminderDue = defineIntegrationEvent({
  type: 'leadership.onboarding.task-reminder-due.v1',
  topic: REMINDERS_TOPIC,
  version: 1,
  description:
    'A task of a newcomer\'s plan is due in `daysBefore` days (`task-due-soon`, to its owner), or overdue (`task-overdue`, to the ' +
    'onboarding manager; `task-overdue-escalated`, to the unit\'s formal manager). `reminderId` is stable: a repeated one is a redelivery.',
  keyDescription: 'newcomer id (the plan)',
  keyOf: (data) => data.newcomerId,
  schema: z.strictObject({
    reminderId: id,
    kind: z.enum(taskReminderKinds),
    newcomerId: id,
    unitId: id,
    stepKey,
    dueAt: instant,
    /** task-due-soon: 7 or 2. */
    daysBefore: z.number().int().positive().nullable(),
    /** A person, or a role of the unit resolved by notifications at send time (falling back to the formal manager). */
    recipientId: z.string().min(1).nullable(),
    recipientRole: z.enum(['onboarding', 'formal-manager', 'buddy', 'it']).nullable(),
    fireAt: instant,
    occurredAt: instant,
  }),
  examples: [
    {
      reminderId: '3d8f0c1a-2b4e-8c6d-9f0a-1b2c3d4e5f60',
      kind: 'task-due-soon',
      newcomerId: 'person-nina',
      unitId: 'unit-support',
      stepKey: 'sign-policies',
      dueAt: '2026-10-26T23:00:00.000Z',
      daysBefore: 2,
      recipientId: 'person-nina',
      recipientRole: null,
      fireAt: '2026-10-24T07:00:00.000Z',
      occurredAt: '2026-10-24T07:00:02.000Z',
    },
  ],
});

/** A session is tomorrow: newcomer and presenter are reminded (09:00 local the day before). */
export const SessionReminderDue = defineIntegrationEvent({
  type: 'leadership.onboarding.session-reminder-due.v1',
  topic: REMINDERS_TOPIC,
  version: 1,
  description: 'An onboarding session starts tomorrow (`session-tomorrow`); notifications remind the newcomer and the presenter.',
  keyDescription: 'session id',
  keyOf: (data) => data.sessionId,
  schema: z.strictObject({
    reminderId: id,
    kind: z.literal('session-tomorrow'),
    sessionId: id,
    newcomerId: id,
    unitId: id,
    presenterId: z.string().min(1).nullable(),
    topic: z.string().min(1),
    startsAt: instant,
    /** Location or link, as the invitation shows it. */
    place: z.string().min(1).nullable(),
    fireAt: instant,
    occurredAt: instant,
  }),
  examples: [
    {
      reminderId: '9a8b7c6d-5e4f-8a2b-9c0d-1e2f3a4b5c6d',
      kind: 'session-tomorrow',
      sessionId: '6c3b1a52-0d43-8e1f-9a6b-2f0e6d7c8b9a',
      newcomerId: 'person-nina',
      unitId: 'unit-support',
      presenterId: 'person-ben',
      topic: 'How cases are distributed',
      startsAt: '2026-10-26T09:00:00.000Z',
      place: 'Room Vänern',
      fireAt: '2026-10-25T08:00:00.000Z',
      occurredAt: '2026-10-25T08:00:01.000Z',
    },
  ],
});
