import { notificationDecider } from '../notification/notification.decider';
import { notificationIdForSourceEvent } from '../stream-names';
import { isTemplateKey } from '../template/notification-templates';
import { SOURCE_TYPES, WORKFLOWS, workflowAddresses, workflowRequest, workflowsFor } from './workflows';

const proposedFacts = { mandateId: 'm-1', delegateId: 'person-ben', delegatorId: 'person-ana', deputyId: null, unitId: 'support', taskType: 'case-distribution', from: '2026-04-01T00:00:00.000Z', until: '2026-10-01T00:00:00.000Z' };

describe('workflows', () => {
  it('has a template for every workflow, one workflow per (source, kind), and no duplicate keys', () => {
    expect(WORKFLOWS.every((w) => isTemplateKey(w.key))).toBe(true);
    const pairs = WORKFLOWS.flatMap((w) => w.kinds.map((k) => `${w.sourceType}/${k}`));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(new Set(WORKFLOWS.map((w) => w.key)).size).toBe(WORKFLOWS.length);
  });

  it('asks the delegate of a proposal to accept; ended mandates tell delegate, delegator and deputy', () => {
    const [proposed] = workflowsFor(SOURCE_TYPES.mandateChanged, 'proposed');
    expect(proposed && workflowAddresses(proposed, proposedFacts)).toEqual(['person-ben']);
    const [ended] = workflowsFor(SOURCE_TYPES.mandateChanged, 'revoked');
    expect(ended && [ended.critical, workflowAddresses(ended, { ...proposedFacts, deputyId: 'person-cleo' })]).toEqual([true, ['person-ben', 'person-ana', 'person-cleo']]);
    expect(workflowsFor(SOURCE_TYPES.mandateChanged, 'check-in-recorded')).toEqual([]);
  });

  it('addresses roles: the case manager for SLA risk, the formal managers for reconfirmation', () => {
    const [risk] = workflowsFor(SOURCE_TYPES.caseAssignment, 'sla-at-risk');
    expect(risk && workflowAddresses(risk, { caseId: 'c-1', unitId: 'support' })).toEqual(['role:case-distribution@unit:support']);
    const [reconfirm] = workflowsFor(SOURCE_TYPES.mandateChanged, 'flagged-for-reconfirmation');
    expect(reconfirm && workflowAddresses(reconfirm, proposedFacts)).toEqual(['role:formal-manager@unit:support']);
  });

  it('makes a request the notification decider accepts, with an id that a redelivery repeats', () => {
    const [proposed] = workflowsFor(SOURCE_TYPES.mandateChanged, 'proposed');
    if (!proposed) throw new Error('no workflow');
    const request = workflowRequest(proposed, { type: SOURCE_TYPES.mandateChanged, id: 'ce-1', facts: proposedFacts }, 'system:consumer', '2026-03-02T08:00:00.000Z');
    expect(request?.data).toMatchObject({ notificationId: notificationIdForSourceEvent('ce-1', 'mandate.proposed'), to: ['person-ben'], category: 'mandates', content: { template: 'mandate.proposed' } });
    expect(request && notificationDecider.decide(request, notificationDecider.initialState())).toHaveLength(1);
    expect(workflowRequest(proposed, { type: SOURCE_TYPES.mandateChanged, id: 'ce-2', facts: { ...proposedFacts, delegateId: null } }, 'system:consumer', '2026-03-02T08:00:00.000Z')).toBeUndefined();
  });

  it('addresses the people of a list fact and a whole address fact; calendar workflows say so in the request', () => {
    const [invitation] = workflowsFor(SOURCE_TYPES.onboardingSession, 'presenter-assigned');
    if (!invitation) throw new Error('no workflow');
    expect(workflowAddresses(invitation, { presenterId: 'person-ben', attendeeIds: ['person-nina', 'person-ben', ''] })).toEqual(['person-ben', 'person-nina']);
    expect(workflowRequest(invitation, { type: invitation.sourceType, id: 'ce-9', facts: { presenterId: null, attendeeIds: ['person-nina'] } }, 'system:consumer', '2026-03-02T08:00:00.000Z')?.data.calendar).toBe('REQUEST');
    const [released] = workflowsFor(SOURCE_TYPES.onboardingSession, 'presenter-unassigned');
    expect(released && workflowAddresses(released, { presenterId: null, formerPresenterId: 'person-ben', attendeeIds: ['person-nina'] })).toEqual(['person-ben']);
    const [overdue] = workflowsFor(SOURCE_TYPES.onboardingTaskReminder, 'task-overdue-escalated');
    expect(overdue && workflowAddresses(overdue, { recipient: 'role:formal-manager@unit:support' })).toEqual(['role:formal-manager@unit:support']);
  });

  it('makes a request for every workflow from facts that carry its variables', () => {
    const facts = { ...proposedFacts, caseId: 'c-1', queueId: 'general', target: 'resolution', dueAt: proposedFacts.until, expiresAt: proposedFacts.until, agentId: 'person-dan', daysBefore: 7, endedAt: proposedFacts.until, topic: 'Claims', startsAt: proposedFacts.until, bookingId: 'b-1', sessionId: 's-1', place: 'Room 4', presenterId: 'person-eve', newcomerId: 'person-fay', recipient: 'role:onboarding@unit:support', warnTo: 'person-ana', stepKey: 'sign-policies', formerPresenterId: 'person-gus', attendeeIds: ['person-fay'], title: 'Claims', start: proposedFacts.until, end: proposedFacts.until, placeText: '', organiserId: 'person-cleo', sequence: 1 };
    for (const workflow of WORKFLOWS) {
      const request = workflowRequest(workflow, { type: workflow.sourceType, id: 'ce-1', facts }, 'system:consumer', '2026-03-02T08:00:00.000Z');
      expect(request && notificationDecider.decide(request, notificationDecider.initialState())).toHaveLength(1);
    }
  });
});
