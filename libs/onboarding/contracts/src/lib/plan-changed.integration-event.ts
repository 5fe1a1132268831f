import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { id, instant, localDate, stepKey, taskOwnerSchema, timeZone } from './onboarding-contract-parts';

/**
 * Compacted: every PlanChanged carries the plan's full state, keyed by the newcomer's id, so the
 * latest message per plan is all a new consumer needs. Reminders have a topic of their own (a
 * reminder under the same key would displace the state).
 */
export const PLANS_TOPIC = 'leadership.onboarding.plans.v1';

/** What changed, one value per domain event of the plan (additive within v1). */
export const planChangeKinds = ['drafted', 'generated', 'step-changed', 'step-added', 'step-removed', 'task-completed', 'completed', 'handed-over'] as const;

/** One step of a plan as other services see it (free-text reasons stay in the service). */
export const planStepSchema = z.strictObject({
  key: stepKey,
  kind: z.enum(['session', 'task']),
  title: z.string().min(1),
  status: z.enum(['open', 'done', 'removed']),
  /** Local day of the step in the newcomer's zone. */
  localDate,
  /** Sessions: the session id (bookings and invitations) and its window. */
  sessionId: z.string().min(1).nullable(),
  start: instant.nullable(),
  end: instant.nullable(),
  /** Tasks: when they are due, who owns them (null: nobody yet), and the step they wait for. */
  due: instant.nullable(),
  owner: taskOwnerSchema.nullable(),
  after: stepKey.nullable(),
  doneAt: instant.nullable(),
  doneBy: z.string().min(1).nullable(),
});

/** The state of a newcomer's plan after each change (state transfer). */
export const PlanChanged = defineIntegrationEvent({
  type: 'leadership.onboarding.plan-changed.v1',
  topic: PLANS_TOPIC,
  version: 1,
  description:
    'A newcomer\'s plan was drafted, generated, edited, worked on, completed or handed over; the data is its full state after the ' +
    'change. Completed plans keep every step (removed ones with status `removed`). Consumers keep the highest `version` per plan.',
  keyDescription: 'newcomer id (one plan per newcomer)',
  keyOf: (data) => data.newcomerId,
  schema: z.strictObject({
    newcomerId: id,
    /** Stream revision of the plan after the change (its ETag); a consumer ignores a lower one it already has. */
    version: z.number().int().nonnegative(),
    change: z.enum(planChangeKinds),
    status: z.enum(['draft', 'active', 'completed']),
    unitId: id,
    /** Null while the plan is a draft. */
    startDate: localDate.nullable(),
    timeZone: timeZone.nullable(),
    /** The onboarding manager (or formal manager) who organises it; escalations go here. */
    organiserId: z.string().min(1).nullable(),
    programmes: z.array(z.strictObject({ programmeId: id, version: z.number().int().positive() })),
    steps: z.array(planStepSchema),
    completedAt: instant.nullable(),
    /** Who made the change (person id or system component). */
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      newcomerId: 'person-nina',
      version: 3,
      change: 'task-completed',
      status: 'active',
      unitId: 'unit-support',
      startDate: '2026-10-19',
      timeZone: 'Europe/Stockholm',
      organiserId: 'person-cleo',
      programmes: [{ programmeId: 'support-basics', version: 2 }],
      steps: [
        {
          key: 'how-cases-are-distributed',
          kind: 'session',
          title: 'How cases are distributed',
          status: 'open',
          localDate: '2026-10-26',
          sessionId: '6c3b1a52-0d43-8e1f-9a6b-2f0e6d7c8b9a',
          start: '2026-10-26T09:00:00.000Z',
          end: '2026-10-26T10:00:00.000Z',
          due: null,
          owner: null,
          after: null,
          doneAt: null,
          doneBy: null,
        },
        {
          key: 'sign-policies',
          kind: 'task',
          title: 'Sign the security policies',
          status: 'done',
          localDate: '2026-10-19',
          sessionId: null,
          start: null,
          end: null,
          due: '2026-10-19T22:00:00.000Z',
          owner: 'newcomer',
          after: null,
          doneAt: '2026-10-19T13:05:00.000Z',
          doneBy: 'person-nina',
        },
      ],
      completedAt: null,
      actorId: 'person-nina',
      occurredAt: '2026-10-19T13:05:00.000Z',
    },
  ],
});

export type PlanChangedData = z.infer<typeof PlanChanged.schema>;
