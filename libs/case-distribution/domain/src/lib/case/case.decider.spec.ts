import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at, BEN, CASE_ID, cmd, ev, explanation, ROUTER, T0 } from '../../spec/case-distribution.fixtures';
import type { FrameworkViolation } from '../framework/framework-rules';
import { caseDecider } from './case.decider';
import {
  AssigneeNotAgentError,
  CaseAlreadyAssignedError,
  CaseAlreadyExistsError,
  CaseInstantInvalidError,
  CaseNotAssignedError,
  CaseNotFoundError,
  CaseNotQueuedError,
  CasePriorityInvalidError,
  CaseReasonRequiredError,
  CaseResolvedError,
  CaseRoutingDataRequiredError,
  CaseSkillInvalidError,
  CaseTitleRequiredError,
  DecisionStampInvalidError,
  FrameworkRuleViolatedError,
  NotOfferedAgentError,
  OfferExpiredError,
  OfferExpiryInvalidError,
  OfferNotExpiredError,
  OfferNotPendingError,
  OfferToDeclinerError,
  OverCapacityNotAcknowledgedError,
  OverflowSameQueueError,
  SlaNotDueError,
} from './case.errors';
import type { Priority } from '../shared/case-vocabulary';

const given = DeciderSpecification.for(caseDecider);
const warn: FrameworkViolation = { kind: 'cases.max-load-percent', mode: 'warn', ruleId: 'r1', message: 'load above 80%' };
const enforce: FrameworkViolation = { kind: 'cases.priority-ceiling', mode: 'enforce', ruleId: 'r2', message: 'priority P1 is above the ceiling P2' };

describe('case decider', () => {
  describe('RegisterCase', () => {
    it('registers a queued case with its arrival, trimmed texts and skills', () => {
      given([]).when(cmd.register({ title: '  Windscreen ', description: '  ' })).then([ev.registered()]);
    });

    it('refuses blank titles, missing routing data, unknown priorities, bad skills and arrival instants', () => {
      given([]).when(cmd.register({ title: ' ' })).thenThrows(CaseTitleRequiredError, 'case.title-required');
      given([]).when(cmd.register({ channel: '' })).thenThrows(CaseRoutingDataRequiredError, 'case.routing-data-required', (e) => e.field === 'channel');
      given([]).when(cmd.register({ priority: 'P0' as Priority })).thenThrows(CasePriorityInvalidError, 'case.priority-invalid');
      given([]).when(cmd.register({ requiredSkills: [{ name: 'motor', level: 6 }] })).thenThrows(CaseSkillInvalidError, 'case.skill-invalid');
      given([]).when(cmd.register({ preferredSkills: [{ name: 'de', level: 1 }, { name: 'de', level: 2 }] })).thenThrows(CaseSkillInvalidError, 'case.skill-invalid');
      given([]).when(cmd.register({ receivedAt: 'yesterday' })).thenThrows(CaseInstantInvalidError, 'case.instant-invalid');
    });

    it('changes nothing for a retried registration, even one that arrived later', () => {
      given([ev.registered()]).when(cmd.register({ receivedAt: at(1), at: at(1) })).thenNothingHappens();
    });

    it('refuses the id for another case', () => {
      given([ev.registered()]).when(cmd.register({ priority: 'P1' })).thenThrows(CaseAlreadyExistsError, 'case.already-exists', (e) => e.details['caseId'] === CASE_ID);
    });
  });

  describe('OfferCase', () => {
    it('offers a queued case to an agent until the expiry, with the router\'s stamp', () => {
      given([ev.registered()]).when(cmd.offer()).then([ev.offered()]);
    });

    it('changes nothing when the router retries the same offer', () => {
      given([ev.registered(), ev.offered()]).when(cmd.offer()).thenNothingHappens();
    });

    it('refuses unknown cases, cases not queued, past expiries, decliners and bad stamps', () => {
      given([]).when(cmd.offer()).thenThrows(CaseNotFoundError, 'case.not-found');
      given([ev.registered(), ev.offered()]).when(cmd.offer('dan')).thenThrows(CaseNotQueuedError, 'case.not-queued');
      given([ev.registered()]).when(cmd.offer('cleo', at(2), at(2))).thenThrows(OfferExpiryInvalidError, 'case.offer-expiry-invalid');
      given([ev.registered(), ev.offered(), ev.declined()]).when(cmd.offer('cleo', at(3), at(4))).thenThrows(OfferToDeclinerError, 'case.offer-to-decliner');
      given([ev.registered()]).when(cmd.offer('cleo', at(1), at(2), { ...BEN, mandateVersion: null })).thenThrows(DecisionStampInvalidError, 'case.stamp-invalid');
      given([ev.registered()]).when(cmd.offer('cleo', at(1), at(2), { ...ROUTER, mandateId: 'm-1' })).thenThrows(DecisionStampInvalidError, 'case.stamp-invalid');
    });
  });

  describe('AcceptOffer', () => {
    it('puts the case in the offered agent\'s hands', () => {
      given([ev.registered(), ev.offered()]).when(cmd.accept()).then([ev.accepted()]);
    });

    it('changes nothing when the acceptance is retried', () => {
      given([ev.registered(), ev.offered(), ev.accepted()]).when(cmd.accept()).thenNothingHappens();
    });

    it('refuses without a pending offer, by another agent, and at or after the expiry', () => {
      given([ev.registered()]).when(cmd.accept()).thenThrows(OfferNotPendingError, 'case.offer-not-pending');
      given([ev.registered(), ev.offered()]).when(cmd.accept('dan')).thenThrows(NotOfferedAgentError, 'case.not-offered-agent');
      given([ev.registered(), ev.offered()]).when(cmd.accept('cleo', at(2))).thenThrows(OfferExpiredError, 'case.offer-expired');
    });
  });

  describe('DeclineOffer', () => {
    it('sends the case back to the queue and remembers who declined', () => {
      given([ev.registered(), ev.offered()]).when(cmd.decline()).then([ev.declined()]);
    });

    it('changes nothing when the decline is retried', () => {
      given([ev.registered(), ev.offered(), ev.declined()]).when(cmd.decline()).thenNothingHappens();
    });

    it('refuses without a pending offer, by another agent, and without a reason', () => {
      given([ev.registered()]).when(cmd.decline()).thenThrows(OfferNotPendingError, 'case.offer-not-pending');
      given([ev.registered(), ev.offered()]).when(cmd.decline('dan')).thenThrows(NotOfferedAgentError, 'case.not-offered-agent');
      given([ev.registered(), ev.offered()]).when(cmd.decline('cleo', ' ')).thenThrows(CaseReasonRequiredError, 'case.reason-required');
    });
  });

  describe('ExpireOffer', () => {
    it('sends the case back to the queue at the expiry', () => {
      given([ev.registered(), ev.offered()]).when(cmd.expire()).then([ev.expired()]);
    });

    it('changes nothing for an offer that was answered, expired already, or replaced', () => {
      given([ev.registered(), ev.offered(), ev.accepted()]).when(cmd.expire()).thenNothingHappens();
      given([ev.registered(), ev.offered(), ev.expired()]).when(cmd.expire()).thenNothingHappens();
      given([ev.registered(), ev.offered(), ev.expired(), ev.offered('dan', at(3), at(4))]).when(cmd.expire()).thenNothingHappens();
    });

    it('refuses a timer that fires early', () => {
      given([ev.registered(), ev.offered()]).when(cmd.expire('cleo', at(1.9))).thenThrows(OfferNotExpiredError, 'case.offer-not-expired');
    });
  });

  describe('AssignCase', () => {
    it('assigns a queued or offered case with the reason and the stamp', () => {
      given([ev.registered()]).when(cmd.assign()).then([ev.assigned()]);
      given([ev.registered(), ev.offered()]).when(cmd.assign()).then([ev.assigned()]);
    });

    it('assigns beyond capacity only when acknowledged, and says so', () => {
      const over = { capacity: { load: 5, capacity: 6, caseWeight: 2, agent: true } };
      given([ev.registered()]).when(cmd.assign(over)).thenThrows(OverCapacityNotAcknowledgedError, 'case.over-capacity-not-acknowledged', (e) => e.load === 7);
      given([ev.registered()]).when(cmd.assign({ ...over, overCapacity: true })).then([ev.assigned('dan', true)]);
    });

    it('records warn-mode framework violations after the decision and refuses enforce-mode ones', () => {
      given([ev.registered()])
        .when(cmd.assign({ frameworkViolations: [warn] }))
        .then([ev.assigned(), { type: 'CaseFrameworkWarningRecorded', data: { caseId: CASE_ID, actorId: 'person-ben', at: at(5), stamp: BEN, decision: 'assigned', violations: [warn] } }]);
      given([ev.registered()]).when(cmd.assign({ frameworkViolations: [warn, enforce] })).thenThrows(FrameworkRuleViolatedError, 'case.framework-rule-violated', (e) => e.violations.length === 1);
    });

    it('refuses an enforce-mode violation before asking to acknowledge over capacity (acknowledging would not help)', () => {
      const over = { capacity: { load: 5, capacity: 6, caseWeight: 2, agent: true } };
      given([ev.registered()]).when(cmd.assign({ ...over, frameworkViolations: [enforce] })).thenThrows(FrameworkRuleViolatedError, 'case.framework-rule-violated');
      given([ev.registered(), ev.assigned()]).when(cmd.reassign({ ...over, frameworkViolations: [enforce] })).thenThrows(FrameworkRuleViolatedError, 'case.framework-rule-violated');
    });

    it('refuses an assignee who is no agent of the case\'s queue, even acknowledged over capacity (nobody would work the case)', () => {
      const outsider = { assigneeId: 'mallory', overCapacity: true, capacity: { load: 0, capacity: 0, caseWeight: 2, agent: false } };
      given([ev.registered()]).when(cmd.assign(outsider)).thenThrows(AssigneeNotAgentError, 'case.assignee-not-agent', (e) => e.assigneeId === 'mallory' && e.queueId === 'general');
      given([ev.registered(), ev.assigned()]).when(cmd.reassign(outsider)).thenThrows(AssigneeNotAgentError, 'case.assignee-not-agent');
    });

    it('changes nothing when the same assignment is retried', () => {
      given([ev.registered(), ev.assigned()]).when(cmd.assign()).thenNothingHappens();
    });

    it('refuses a case held by someone else, a resolved case, and a blank reason', () => {
      given([ev.registered(), ev.assigned()]).when(cmd.assign({ assigneeId: 'eve' })).thenThrows(CaseAlreadyAssignedError, 'case.already-assigned');
      given([ev.registered(), ev.assigned(), ev.resolved()]).when(cmd.assign()).thenThrows(CaseResolvedError, 'case.resolved');
      given([ev.registered()]).when(cmd.assign({ reason: '' })).thenThrows(CaseReasonRequiredError, 'case.reason-required');
    });
  });

  describe('ReassignCase', () => {
    it('moves an assigned case to another assignee', () => {
      given([ev.registered(), ev.assigned()])
        .when(cmd.reassign())
        .then([{ type: 'CaseReassigned', data: { caseId: CASE_ID, actorId: 'person-ben', at: at(10), stamp: BEN, assigneeId: 'eve', previousAssigneeId: 'dan', reason: 'dan is ill', overCapacity: false } }]);
    });

    it('changes nothing when reassigned to the current assignee', () => {
      given([ev.registered(), ev.assigned()]).when(cmd.reassign({ assigneeId: 'dan' })).thenNothingHappens();
    });

    it('refuses a case nobody holds and an unacknowledged overload', () => {
      given([ev.registered()]).when(cmd.reassign()).thenThrows(CaseNotAssignedError, 'case.not-assigned');
      given([ev.registered(), ev.assigned()]).when(cmd.reassign({ capacity: { load: 6, capacity: 6, caseWeight: 1, agent: true } })).thenThrows(OverCapacityNotAcknowledgedError);
    });
  });

  describe('PrioritiseCase', () => {
    it('changes the priority with the reason, stamped with the mandate', () => {
      given([ev.registered()])
        .when(cmd.prioritise())
        .then([{ type: 'CasePrioritised', data: { caseId: CASE_ID, actorId: 'person-ben', at: at(3), stamp: BEN, priority: 'P1', previousPriority: 'P3', reason: 'customer is blocked' } }]);
    });

    it('changes nothing for the current priority', () => {
      given([ev.registered()]).when(cmd.prioritise('P3')).thenNothingHappens();
    });

    it('refuses a blank reason, a resolved case and an enforced ceiling', () => {
      given([ev.registered()]).when(cmd.prioritise('P1', ' ')).thenThrows(CaseReasonRequiredError, 'case.reason-required');
      given([ev.registered(), ev.assigned(), ev.resolved()]).when(cmd.prioritise()).thenThrows(CaseResolvedError, 'case.resolved');
      given([ev.registered()]).when(cmd.prioritise('P1', 'urgent', { frameworkViolations: [enforce] })).thenThrows(FrameworkRuleViolatedError, 'case.framework-rule-violated');
    });
  });

  describe('ResolveCase', () => {
    it('resolves an assigned case', () => {
      given([ev.registered(), ev.assigned()]).when(cmd.resolve()).then([ev.resolved()]);
    });

    it('changes nothing on a resolved case', () => {
      given([ev.registered(), ev.assigned(), ev.resolved()]).when(cmd.resolve()).thenNothingHappens();
    });

    it('refuses a case nobody holds', () => {
      given([ev.registered()]).when(cmd.resolve()).thenThrows(CaseNotAssignedError, 'case.not-assigned');
    });
  });

  describe('OverflowCase', () => {
    it('moves a queued case to the overflow queue, or to the formal manager', () => {
      given([ev.registered()])
        .when(cmd.overflow())
        .then([{ type: 'CaseOverflowed', data: { caseId: CASE_ID, actorId: 'system:router', at: at(1), stamp: ROUTER, fromQueueId: 'general', to: { queueId: 'second-line' }, why: 'nobody skilled' } }]);
      given([ev.registered()]).when(cmd.overflow({ formalManager: true })).then([ev.escalated()]);
    });

    it('changes nothing when the formal manager has the case already', () => {
      given([ev.registered(), ev.escalated()]).when(cmd.overflow({ formalManager: true })).thenNothingHappens();
    });

    it('refuses a case that is not queued, its own queue, and a blank why', () => {
      given([ev.registered(), ev.offered()]).when(cmd.overflow()).thenThrows(CaseNotQueuedError, 'case.not-queued');
      given([ev.registered()]).when(cmd.overflow({ queueId: 'general' })).thenThrows(OverflowSameQueueError, 'case.overflow-same-queue');
      given([ev.registered()]).when(cmd.overflow({ queueId: 'second-line' }, '')).thenThrows(CaseReasonRequiredError);
    });
  });

  describe('MarkSlaAtRisk and RecordSlaBreach', () => {
    it('record each target once', () => {
      given([ev.registered()]).when(cmd.atRisk()).then([{ type: 'CaseSlaAtRisk', data: { caseId: CASE_ID, actorId: 'system:sla', at: at(48), target: 'first-response', dueAt: at(60) } }]);
      given([ev.registered()]).when(cmd.breach('resolution')).then([ev.breached('resolution')]);
    });

    it('change nothing when recorded already, superseded by a breach, or met', () => {
      given([ev.registered(), ev.breached()]).when(cmd.atRisk()).thenNothingHappens();
      given([ev.registered(), ev.breached()]).when(cmd.breach()).thenNothingHappens();
      given([ev.registered(), ev.assigned()]).when(cmd.breach()).thenNothingHappens();
    });

    it('refuse a breach before the due time', () => {
      given([ev.registered()]).when(cmd.breach('first-response', at(59))).thenThrows(SlaNotDueError, 'case.sla-not-due');
    });
  });

  it('keeps the original arrival through declines and expiries, and lists every decision with its stamp', () => {
    const state = fold(caseDecider, [
      ev.registered(),
      ev.offered(),
      ev.declined(),
      ev.offered('dan', at(3), at(4)),
      ev.expired('dan'),
      ev.assigned('eve'),
    ]);
    expect(state).toMatchObject({ status: 'assigned', receivedAt: T0, assigneeId: 'eve', declinedBy: ['cleo'], firstResponseAt: at(5) });
    if (state.status === 'none') throw new Error('registered');
    expect(state.decisions).toEqual([
      { kind: 'offered', actorId: 'system:router', basis: 'routing-policy', mandateId: null, mandateVersion: null, at: at(1), reason: explanation.rule },
      { kind: 'offered', actorId: 'system:router', basis: 'routing-policy', mandateId: null, mandateVersion: null, at: at(3), reason: explanation.rule },
      { kind: 'assigned', actorId: 'person-ben', basis: 'mandate', mandateId: 'mandate-7', mandateVersion: 2, at: at(5), reason: 'knows the customer' },
    ]);
    expect(state.routing.map((r) => r.agentId)).toEqual(['cleo', 'dan']);
  });
});
