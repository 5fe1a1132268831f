import type { CaseCommand } from '../lib/case/case.commands';
import type { CaseEvent } from '../lib/case/case.events';
import type { RoutingExplanation } from '../lib/routing/routing-explanation';
import type { RoutingAgent, RoutingQueue, WaitingCase } from '../lib/routing/routing-snapshot';
import type { QueueConfig } from '../lib/queue/queue';
import type { DecisionStamp, Priority } from '../lib/shared/case-vocabulary';

/* Shared test data of the domain specs (one place, so each spec states only what it varies). */

export const CASE_ID = 'case-1';
export const T0 = '2026-03-02T09:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const ROUTER: DecisionStamp = { basis: 'routing-policy', mandateId: null, mandateVersion: null, actorId: 'system:router' };
export const BEN: DecisionStamp = { basis: 'mandate', mandateId: 'mandate-7', mandateVersion: 2, actorId: 'person-ben' };
export const ANA: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' };

export const explanation: RoutingExplanation = { mode: 'most-available', rule: 'most-available: test', candidates: [] };

const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 };
export const queueConfig: QueueConfig = {
  unitId: 'unit-claims',
  name: 'General',
  routing: { mode: 'most-available', pushTimeoutSeconds: 60, skillRelaxationSeconds: 600 },
  sla: { P1: { firstResponseMinutes: 15, resolutionMinutes: 120 }, P2: targets, P3: targets, P4: targets },
  channelWeights: { email: 2, chat: 1 },
  overflowQueueId: 'second-line',
};

type Data<T extends CaseCommand['type']> = Partial<Extract<CaseCommand, { type: T }>['data']>;

export const cmd = {
  register: (extra: Data<'RegisterCase'> = {}): CaseCommand => ({
    type: 'RegisterCase',
    data: { caseId: CASE_ID, actorId: 'system:intake', at: T0, queueId: 'general', unitId: 'unit-claims', title: 'Windscreen', priority: 'P3', channel: 'email', requiredSkills: [{ name: 'motor', level: 2 }], preferredSkills: [], receivedAt: T0, ...extra },
  }),
  offer: (agentId = 'cleo', when = at(1), expiresAt = at(2), stamp = ROUTER): CaseCommand => ({ type: 'OfferCase', data: { caseId: CASE_ID, at: when, stamp, agentId, expiresAt, explanation } }),
  accept: (actorId = 'cleo', when = at(1.5)): CaseCommand => ({ type: 'AcceptOffer', data: { caseId: CASE_ID, actorId, at: when } }),
  decline: (actorId = 'cleo', reason = 'not my field'): CaseCommand => ({ type: 'DeclineOffer', data: { caseId: CASE_ID, actorId, at: at(1.5), reason } }),
  expire: (agentId = 'cleo', when = at(2), expiresAt = at(2)): CaseCommand => ({ type: 'ExpireOffer', data: { caseId: CASE_ID, actorId: 'system:timer', at: when, agentId, expiresAt } }),
  assign: (extra: Data<'AssignCase'> = {}): CaseCommand => ({
    type: 'AssignCase',
    data: { caseId: CASE_ID, at: at(5), stamp: BEN, assigneeId: 'dan', reason: 'knows the customer', overCapacity: false, capacity: { load: 0, capacity: 6, caseWeight: 2, agent: true }, ...extra },
  }),
  reassign: (extra: Data<'ReassignCase'> = {}): CaseCommand => ({
    type: 'ReassignCase',
    data: { caseId: CASE_ID, at: at(10), stamp: BEN, assigneeId: 'eve', reason: 'dan is ill', overCapacity: false, capacity: { load: 0, capacity: 6, caseWeight: 2, agent: true }, ...extra },
  }),
  prioritise: (priority: Priority = 'P1', reason = 'customer is blocked', extra: Data<'PrioritiseCase'> = {}): CaseCommand => ({
    type: 'PrioritiseCase',
    data: { caseId: CASE_ID, at: at(3), stamp: BEN, priority, reason, ...extra },
  }),
  resolve: (actorId = 'dan'): CaseCommand => ({ type: 'ResolveCase', data: { caseId: CASE_ID, actorId, at: at(60), resolution: 'repaired' } }),
  overflow: (to: { queueId: string } | { formalManager: true } = { queueId: 'second-line' }, why = 'nobody skilled'): CaseCommand => ({
    type: 'OverflowCase',
    data: { caseId: CASE_ID, at: at(1), stamp: ROUTER, to, why },
  }),
  atRisk: (target: 'first-response' | 'resolution' = 'first-response'): CaseCommand => ({ type: 'MarkSlaAtRisk', data: { caseId: CASE_ID, actorId: 'system:sla', at: at(48), target, dueAt: at(60) } }),
  breach: (target: 'first-response' | 'resolution' = 'first-response', when = at(60)): CaseCommand => ({ type: 'RecordSlaBreach', data: { caseId: CASE_ID, actorId: 'system:sla', at: when, target, dueAt: at(60) } }),
};

export const ev = {
  registered: (): CaseEvent => ({
    type: 'CaseRegistered',
    data: { caseId: CASE_ID, actorId: 'system:intake', at: T0, queueId: 'general', unitId: 'unit-claims', title: 'Windscreen', description: null, priority: 'P3', channel: 'email', requiredSkills: [{ name: 'motor', level: 2 }], preferredSkills: [], externalRef: null, receivedAt: T0 },
  }),
  offered: (agentId = 'cleo', when = at(1), expiresAt = at(2)): CaseEvent => ({ type: 'CaseOffered', data: { caseId: CASE_ID, actorId: 'system:router', at: when, stamp: ROUTER, agentId, expiresAt, explanation } }),
  accepted: (agentId = 'cleo'): CaseEvent => ({ type: 'CaseOfferAccepted', data: { caseId: CASE_ID, actorId: agentId, at: at(1.5), agentId } }),
  declined: (agentId = 'cleo'): CaseEvent => ({ type: 'CaseOfferDeclined', data: { caseId: CASE_ID, actorId: agentId, at: at(1.5), agentId, reason: 'not my field' } }),
  expired: (agentId = 'cleo'): CaseEvent => ({ type: 'CaseOfferExpired', data: { caseId: CASE_ID, actorId: 'system:timer', at: at(2), agentId, expiresAt: at(2) } }),
  assigned: (assigneeId = 'dan', overCapacity = false): CaseEvent => ({ type: 'CaseAssigned', data: { caseId: CASE_ID, actorId: 'person-ben', at: at(5), stamp: BEN, assigneeId, reason: 'knows the customer', overCapacity } }),
  resolved: (): CaseEvent => ({ type: 'CaseResolved', data: { caseId: CASE_ID, actorId: 'dan', at: at(60), resolution: 'repaired' } }),
  escalated: (): CaseEvent => ({ type: 'CaseOverflowed', data: { caseId: CASE_ID, actorId: 'system:router', at: at(1), stamp: ROUTER, fromQueueId: 'general', to: { formalManager: true }, why: 'nobody skilled' } }),
  breached: (target: 'first-response' | 'resolution' = 'first-response'): CaseEvent => ({ type: 'CaseSlaBreached', data: { caseId: CASE_ID, actorId: 'system:sla', at: at(60), target, dueAt: at(60) } }),
};

/* Router snapshot builders. */

export const routingQueue = (routing: Partial<RoutingQueue['routing']> = {}, extra: Partial<RoutingQueue> = {}): RoutingQueue => ({
  queueId: 'general',
  routing: { ...queueConfig.routing, ...routing },
  channelWeights: queueConfig.channelWeights,
  overflowQueueId: null,
  ...extra,
});

export const agent = (personId: string, extra: Partial<RoutingAgent> = {}): RoutingAgent => ({
  personId,
  presence: 'available',
  absences: [],
  unavailability: [],
  capacity: 6,
  skills: [{ name: 'motor', level: 3 }],
  load: 0,
  activeCases: 0,
  lastAssignedAt: null,
  returnedFromAbsenceAt: null,
  ...extra,
});

export const waiting = (caseId: string, extra: Partial<WaitingCase> = {}): WaitingCase => ({
  caseId,
  queueId: 'general',
  priority: 'P3',
  receivedAt: T0,
  channel: 'chat',
  requiredSkills: [],
  preferredSkills: [],
  declinedBy: [],
  ...extra,
});
