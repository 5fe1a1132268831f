import { fold } from '@leadership/kernel';
import { MandateChanged } from '@leadership/delegation-contracts';
import { mandateDecider, type ExistingMandate, type MandateEvent } from '@leadership/delegation-domain';
import { toMandateSnapshot } from './mandate-snapshot.mapper';

const FROM = '2026-03-01T00:00:00.000Z';

const proposed: MandateEvent = {
  type: 'MandateProposed',
  data: {
    mandateId: 'm-1',
    delegatorId: 'ana',
    delegateId: 'ben',
    taskType: 'case-distribution',
    scope: { unitId: 'support', queueId: 'general' },
    direction: { purpose: 'Keep the queue moving', successCriteria: [] },
    framework: {
      rules: [
        { id: 'r1', text: 'Never above P2', mode: 'enforce', check: { kind: 'cases.priority-ceiling', params: { highest: 'P2' } } },
        { id: 'r2', text: 'Be kind', mode: 'warn' },
      ],
      reservedDecisions: [],
      escalationContactId: 'ana',
    },
    authorities: ['cases.prioritise'],
    period: { from: FROM, until: '2026-06-01T00:00:00.000Z' },
    reviewCadenceDays: 14,
    deputyId: null,
    basis: { kind: 'formal-manager' },
    actorId: 'ana',
    at: '2026-02-20T09:00:00.000Z',
  },
};

describe('toMandateSnapshot', () => {
  it('carries each rule’s machine-checkable form, so the services that check delegated actions receive it (valid per the contract)', () => {
    const state = fold(mandateDecider, [proposed]) as ExistingMandate;
    const snapshot = toMandateSnapshot(state);
    expect(snapshot.framework.rules).toEqual([
      { id: 'r1', text: 'Never above P2', mode: 'enforce', check: { kind: 'cases.priority-ceiling', params: { highest: 'P2' } } },
      { id: 'r2', text: 'Be kind', mode: 'warn' },
    ]);
    expect(MandateChanged.schema.safeParse({ mandateId: 'm-1', version: 0, change: 'proposed', actorId: 'ana', occurredAt: proposed.data.at, mandate: snapshot }).success).toBe(true);
  });
});
