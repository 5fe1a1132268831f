import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { channelSchema, decisionStampSchema, instant, prioritySchema } from './case-contract-parts';

/**
 * Compacted: every CaseChanged carries the case's full state, keyed by its id, so the latest
 * message per case is all a new consumer needs.
 */
export const CASES_TOPIC = 'leadership.cases.cases.v1';

/** What changed, one value per domain event of the case (additive within v1). */
export const caseChangeKinds = [
  'registered',
  'offered',
  'offer-accepted',
  'offer-declined',
  'offer-expired',
  'assigned',
  'reassigned',
  'prioritised',
  'resolved',
  'overflowed',
  'sla-at-risk',
  'sla-breached',
  'framework-warning-recorded',
] as const;

export const caseStatuses = ['queued', 'offered', 'assigned', 'resolved'] as const;

const slaTargetKind = z.enum(['first-response', 'resolution']);

/** One decision on the case with the authority it relied on (as `GET /cases/{id}` lists them). */
export const caseDecisionSchema = z.strictObject({
  kind: z.enum(['offered', 'assigned', 'reassigned', 'prioritised', 'overflowed']),
  ...decisionStampSchema.shape,
  at: instant,
  /** The reason given, the overflow's why, or the routing rule of an offer. */
  reason: z.string().nullable(),
});

/** The state of a case after each change (state transfer). */
export const CaseChanged = defineIntegrationEvent({
  type: 'leadership.cases.case-changed.v1',
  topic: CASES_TOPIC,
  version: 1,
  description:
    'A case changed; the data is its full state after the change (description, decline and resolution texts are free text and stay ' +
    'in the service). Consumers keep the highest `version` per case.',
  keyDescription: 'case id',
  keyOf: (data) => data.caseId,
  schema: z.strictObject({
    caseId: z.string().min(1),
    /** Stream revision of the case after the change; a consumer ignores a lower one it already has. */
    version: z.number().int().nonnegative(),
    change: z.enum(caseChangeKinds),
    status: z.enum(caseStatuses),
    queueId: z.string().min(1),
    unitId: z.string().min(1),
    title: z.string().min(1),
    priority: prioritySchema,
    channel: channelSchema,
    externalRef: z.string().min(1).nullable(),
    /** Original arrival; declined, expired and overflowed cases keep it (their age). */
    receivedAt: instant,
    /** The agent a pending offer is made to. */
    offeredTo: z.string().min(1).nullable(),
    offerExpiresAt: instant.nullable(),
    assigneeId: z.string().min(1).nullable(),
    /** With the unit's formal manager after an overflow, until routed or assigned. */
    escalatedToFormalManager: z.boolean(),
    firstResponseAt: instant.nullable(),
    resolvedAt: instant.nullable(),
    slaAtRisk: z.array(slaTargetKind),
    slaBreached: z.array(slaTargetKind),
    decisions: z.array(caseDecisionSchema),
    /** Who made the change (person id or system component). */
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      caseId: '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60',
      version: 3,
      change: 'prioritised',
      status: 'assigned',
      queueId: 'general',
      unitId: 'unit-claims',
      title: 'Windscreen claim',
      priority: 'P1',
      channel: 'email',
      externalRef: 'CRM-4711',
      receivedAt: '2026-03-02T09:00:00.000Z',
      offeredTo: null,
      offerExpiresAt: null,
      assigneeId: 'person-cleo',
      escalatedToFormalManager: false,
      firstResponseAt: '2026-03-02T09:01:10.000Z',
      resolvedAt: null,
      slaAtRisk: [],
      slaBreached: [],
      decisions: [
        { kind: 'offered', actorId: 'system:router', basis: 'routing-policy', mandateId: null, mandateVersion: null, at: '2026-03-02T09:00:01.000Z', reason: 'most-available: …' },
        { kind: 'prioritised', actorId: 'person-ben', basis: 'mandate', mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10', mandateVersion: 2, at: '2026-03-02T09:30:00.000Z', reason: 'customer is blocked' },
      ],
      actorId: 'person-ben',
      occurredAt: '2026-03-02T09:30:00.000Z',
    },
  ],
});

export type CaseChangedData = z.infer<typeof CaseChanged.schema>;
