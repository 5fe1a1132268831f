import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { decisionStampSchema, instant, prioritySchema } from './case-contract-parts';

/** Offers, assignments and SLA events of cases, in order per case (key = case id). */
export const ASSIGNMENTS_TOPIC = 'leadership.cases.assignments.v1';

/** What happened (additive within v1). */
export const caseAssignmentKinds = [
  'offered',
  'accepted',
  'declined',
  'expired',
  'assigned',
  'reassigned',
  'prioritised',
  'resolved',
  'overflowed',
  'sla-at-risk',
  'sla-breached',
] as const;

/** One routing or assignment event of a case (an event stream, not compacted). */
export const CaseAssignmentEvent = defineIntegrationEvent({
  type: 'leadership.cases.case-assignment.v1',
  topic: ASSIGNMENTS_TOPIC,
  version: 1,
  description:
    'A case was offered, accepted, declined, expired, assigned, reassigned, prioritised, resolved, overflowed, or an SLA target is at ' +
    'risk or breached. Decisions carry the stamp of the authority they relied on. `version` is the case version after the event: ' +
    'a repeated one is a redelivery.',
  keyDescription: 'case id',
  keyOf: (data) => data.caseId,
  schema: z.strictObject({
    caseId: z.string().min(1),
    version: z.number().int().nonnegative(),
    kind: z.enum(caseAssignmentKinds),
    queueId: z.string().min(1),
    unitId: z.string().min(1),
    /** Priority after the event. */
    priority: prioritySchema,
    /** The agent concerned: offered to, answering, assigned (new assignee), resolving assignee; null for overflow and SLA events. */
    agentId: z.string().min(1).nullable(),
    /** Reassigned: who had the case. */
    previousAgentId: z.string().min(1).nullable(),
    /** Offered: when the offer expires. */
    expiresAt: instant.nullable(),
    /** Manual decisions: the reason; overflow: why; offers: the routing rule that picked the agent. */
    reason: z.string().nullable(),
    /** Overflowed: to another queue, or to the unit's formal manager. */
    overflowTo: z.strictObject({ queueId: z.string().min(1).nullable(), formalManager: z.boolean() }).nullable(),
    /** SLA events: the target and its due time. */
    sla: z.strictObject({ target: z.enum(['first-response', 'resolution']), dueAt: instant }).nullable(),
    /** Manual assignments: beyond the assignee's capacity, acknowledged by the decider. */
    overCapacity: z.boolean().nullable(),
    /**
     * The authority a decision (offered, assigned, reassigned, prioritised, overflowed) relied on;
     * null for what is not a leadership decision (an agent's answer, a timer, the SLA scheduler).
     */
    stamp: decisionStampSchema.nullable(),
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      caseId: '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60',
      version: 4,
      kind: 'reassigned',
      queueId: 'general',
      unitId: 'unit-claims',
      priority: 'P2',
      agentId: 'person-dan',
      previousAgentId: 'person-cleo',
      expiresAt: null,
      reason: 'Cleo is on sick leave',
      overflowTo: null,
      sla: null,
      overCapacity: false,
      stamp: { basis: 'mandate', mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10', mandateVersion: 2, actorId: 'person-ben' },
      actorId: 'person-ben',
      occurredAt: '2026-03-02T10:00:00.000Z',
    },
  ],
});

export type CaseAssignmentEventData = z.infer<typeof CaseAssignmentEvent.schema>;
