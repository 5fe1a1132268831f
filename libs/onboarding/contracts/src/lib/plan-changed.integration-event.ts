import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/**
 * Compacted: every PlanChanged carries the plan's full state, keyed by its id, so the
 * latest message per plan is all a new consumer needs.
 */
export const PLANS_TOPIC = 'leadership.onboarding.plans.v1';

/** The state of a plan after each change (state transfer). */
export const PlanChanged = defineIntegrationEvent({
  type: 'leadership.onboarding.plan-changed.v1',
  topic: PLANS_TOPIC,
  version: 1,
  description:
    'A plan was registered or closed; the data is its full state after the change (the close reason is free text ' +
    'and stays in the service). Consumers keep the highest `version` per plan.',
  keyDescription: 'plan id',
  keyOf: (data) => data.planId,
  schema: z.strictObject({
    planId: z.string().min(1),
    /** Stream revision of the plan after the change; a consumer ignores a lower one it already has. */
    version: z.number().int().nonnegative(),
    change: z.enum(['registered', 'closed']),
    status: z.enum(['open', 'closed']),
    title: z.string().min(1),
    registeredAt: instant,
    closedAt: instant.nullable(),
    /** Who made the change (person id or system component). */
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      planId: '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60',
      version: 1,
      change: 'closed',
      status: 'closed',
      title: 'First plan',
      registeredAt: '2026-03-02T09:00:00.000Z',
      closedAt: '2026-03-03T17:30:00.000Z',
      actorId: 'person-ana',
      occurredAt: '2026-03-03T17:30:00.000Z',
    },
  ],
});
