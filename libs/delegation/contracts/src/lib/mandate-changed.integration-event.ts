import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';

/** Kafka topic of mandate events; key = mandate id, so each mandate's events stay in order. */
export const MANDATES_TOPIC = 'leadership.delegation.mandates.v1';

const instant = z.iso.datetime({ offset: true });

/** What changed, one value per domain transition (additive within v1). */
export const mandateChangeKinds = [
  'proposed',
  'accepted',
  'declined',
  'activated',
  'amended',
  'expansion-proposed',
  'expansion-withdrawn',
  'expansion-accepted',
  'expansion-declined',
  'extended',
  'suspended',
  'resumed',
  'revoked',
  'relinquished',
  'expired',
  'completed',
  'check-in-recorded',
  'flagged-for-reconfirmation',
  'confirmed',
] as const;

export type MandateChangeKind = (typeof mandateChangeKinds)[number];

export const mandateStatuses = ['proposed', 'accepted', 'active', 'suspended', 'declined', 'ended'] as const;

/**
 * The full state of a mandate after a change (event-carried state transfer): a consumer keeps
 * the snapshot with the highest `version` per mandate and needs no other message to answer
 * "may this person do X in unit U at time T?". Ids only — no names or e-mail addresses.
 */
export const mandateSnapshotSchema = z.strictObject({
  mandateId: z.string().min(1),
  status: z.enum(mandateStatuses),
  delegatorId: z.string().min(1),
  delegateId: z.string().min(1),
  deputyId: z.string().min(1).nullable(),
  taskType: z.string().min(1),
  scope: z.strictObject({
    unitId: z.string().min(1),
    queueId: z.string().min(1).optional(),
    projectId: z.string().min(1).optional(),
  }),
  /** Authorities in force (pending expansions are not). */
  authorities: z.array(z.string().min(1)),
  /** Authorities proposed in an expansion the delegate has not accepted yet. */
  pendingAuthorities: z.array(z.string().min(1)),
  period: z.strictObject({ from: instant, until: instant }),
  /** Suspension windows, oldest first; `until` null while suspended. */
  suspensions: z.array(z.strictObject({ from: instant, until: instant.nullable() })),
  framework: z.strictObject({
    rules: z.array(
      z.strictObject({
        id: z.string().min(1),
        text: z.string(),
        mode: z.enum(['warn', 'enforce']),
        /** Machine-checkable form, a kind from a context's framework-check catalogue (see FrameworkCheckDefinition). */
        check: z.strictObject({ kind: z.string().min(1), params: z.record(z.string(), z.unknown()) }).optional(),
      }),
    ),
    reservedDecisions: z.array(z.string()),
    escalationContactId: z.string().min(1),
  }),
  reviewCadenceDays: z.number().int().positive(),
  lastCheckInAt: instant.nullable(),
  acceptedAt: instant.nullable(),
  activatedAt: instant.nullable(),
  endedAt: instant.nullable(),
  endReason: z.enum(['revoked', 'relinquished', 'expired', 'completed']).nullable(),
  /** Set while a formal manager must confirm or revoke (the delegator stopped managing the unit). */
  awaitingReconfirmation: z.boolean(),
});

export type MandateSnapshot = z.infer<typeof mandateSnapshotSchema>;

const example: MandateSnapshot = {
  mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10',
  status: 'active',
  delegatorId: 'person-manager-1',
  delegateId: 'person-anna',
  deputyId: null,
  taskType: 'case-distribution',
  scope: { unitId: 'unit-claims', queueId: 'queue-motor' },
  authorities: ['cases.assign', 'cases.prioritise'],
  pendingAuthorities: [],
  period: { from: '2026-01-01T00:00:00.000Z', until: '2026-07-01T00:00:00.000Z' },
  suspensions: [],
  framework: {
    rules: [{ id: 'r1', text: 'No more than 5 open cases per colleague', mode: 'enforce' }],
    reservedDecisions: ['dismissals'],
    escalationContactId: 'person-manager-1',
  },
  reviewCadenceDays: 30,
  lastCheckInAt: null,
  acceptedAt: '2025-12-20T09:00:00.000Z',
  activatedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  endReason: null,
  awaitingReconfirmation: false,
};

/** A mandate changed; carries what changed and the mandate's full state after the change. */
export const MandateChanged = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-changed.v1',
  topic: MANDATES_TOPIC,
  version: 1,
  description:
    'A mandate (a leadership task delegated by a formal manager) changed. `version` is the mandate version (its event-stream revision): ' +
    'keep the highest per mandateId; older or repeated versions are redeliveries and can be ignored.',
  keyDescription: 'mandate id',
  keyOf: (data) => data.mandateId,
  schema: z.strictObject({
    mandateId: z.string().min(1),
    /** Mandate version after this change (stream revision, 0-based). */
    version: z.number().int().nonnegative(),
    change: z.enum(mandateChangeKinds),
    /** Who made the change (person id or `system:scheduler`). */
    actorId: z.string().min(1),
    occurredAt: instant,
    mandate: mandateSnapshotSchema,
  }),
  examples: [{ mandateId: example.mandateId, version: 2, change: 'activated', actorId: 'system:scheduler', occurredAt: '2026-01-01T00:00:00.000Z', mandate: example }],
});
