/* Builders for mandate commands and events used across the specs. */
import { DEFAULT_TASK_TYPES, type TaskTypeDefinition } from '../lib/task-type/task-type';
import type { ManagerContext, ProposeMandate, ProposeMandateContext } from '../lib/mandate/mandate.commands';
import type { MandateEvent, MandateProposed } from '../lib/mandate/mandate.events';

export function taskType(key: string): TaskTypeDefinition {
  const found = DEFAULT_TASK_TYPES.find((definition) => definition.key === key);
  if (!found) throw new Error(`no default task type ${key}`);
  return found;
}

export const caseDistribution = taskType('case-distribution');
export const onboarding = taskType('onboarding');
export const projectLead = taskType('project-lead');

export const MANDATE_ID = 'm-1';
export const MANAGER = 'manager-1';
export const DELEGATE = 'delegate-1';
export const UNIT = 'unit-1';
export const PROPOSED_AT = '2025-01-10T09:00:00Z';
export const FROM = '2025-02-01T00:00:00Z';
export const UNTIL = '2025-08-01T00:00:00Z';

export const manager: ManagerContext = { actorManagesUnit: true };
export const notManager: ManagerContext = { actorManagesUnit: false };

type ProposeData = ProposeMandate['data'];

export function propose(
  overrides: Partial<Omit<ProposeData, 'context'>> = {},
  context: Partial<ProposeMandateContext> = {},
): ProposeMandate {
  return {
    type: 'ProposeMandate',
    data: {
      mandateId: MANDATE_ID,
      actorId: MANAGER,
      at: PROPOSED_AT,
      delegatorId: MANAGER,
      delegateId: DELEGATE,
      taskType: 'case-distribution',
      scope: { unitId: UNIT, queueId: 'q-1' },
      direction: { purpose: 'Fair and fast case distribution', successCriteria: ['no case older than 3 days unassigned'] },
      framework: {
        rules: [
          { id: 'r1', text: 'max 8 open cases per colleague', mode: 'enforce' },
          { id: 'r2', text: 'respect part-time capacity', mode: 'warn' },
        ],
        reservedDecisions: ['overtime'],
        escalationContactId: MANAGER,
      },
      authorities: ['cases.prioritise', 'cases.assign'],
      period: { from: FROM, until: UNTIL },
      reviewCadenceDays: 30,
      ...overrides,
      context: {
        delegatorManagesUnit: true,
        delegateIsMemberOfUnit: true,
        taskType: caseDistribution,
        ...context,
      },
    },
  };
}

/** The event a successful `propose(overrides)` produces (formal-manager basis). */
export function proposed(overrides: Partial<Omit<ProposeData, 'context'>> = {}): MandateProposed {
  const { context: _context, deputyId, authorities, ...data } = propose(overrides).data;
  return {
    type: 'MandateProposed',
    data: { ...data, authorities: [...authorities].sort(), deputyId: deputyId ?? null, basis: { kind: 'formal-manager' } },
  };
}

export const event = {
  accepted: (at = '2025-01-11T09:00:00Z', mandateId = MANDATE_ID): MandateEvent => ({
    type: 'MandateAccepted',
    data: { mandateId, actorId: DELEGATE, at },
  }),
  activated: (at = FROM, mandateId = MANDATE_ID): MandateEvent => ({
    type: 'MandateActivated',
    data: { mandateId, actorId: 'system:scheduler', at },
  }),
  suspended: (at: string, mandateId = MANDATE_ID): MandateEvent => ({
    type: 'MandateSuspended',
    data: { mandateId, actorId: MANAGER, at, reason: 'investigation' },
  }),
  resumed: (at: string, mandateId = MANDATE_ID): MandateEvent => ({ type: 'MandateResumed', data: { mandateId, actorId: MANAGER, at } }),
  revoked: (at: string, mandateId = MANDATE_ID): MandateEvent => ({
    type: 'MandateRevoked',
    data: { mandateId, actorId: MANAGER, at, reason: 'reorganisation' },
  }),
  expired: (at = UNTIL, mandateId = MANDATE_ID): MandateEvent => ({
    type: 'MandateExpired',
    data: { mandateId, actorId: 'system:scheduler', at, until: UNTIL },
  }),
  expansionProposed: (authorities: readonly string[], at = '2025-03-01T00:00:00Z'): MandateEvent => ({
    type: 'MandateExpansionProposed',
    data: { mandateId: MANDATE_ID, actorId: MANAGER, at, authorities },
  }),
  declined: (at = '2025-01-11T09:00:00Z'): MandateEvent => ({
    type: 'MandateDeclined',
    data: { mandateId: MANDATE_ID, actorId: DELEGATE, at, reason: 'no capacity' },
  }),
  flagged: (at = '2025-03-01T00:00:00Z'): MandateEvent => ({
    type: 'MandateFlaggedForReconfirmation',
    data: { mandateId: MANDATE_ID, actorId: 'system:scheduler', at, reason: 'delegator-no-longer-manages', delegatorId: MANAGER },
  }),
};

/** A proposed, accepted and activated mandate. */
export const activeHistory: readonly MandateEvent[] = [proposed(), event.accepted(), event.activated()];
