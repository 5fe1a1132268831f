import { activeHistory, DELEGATE, event, MANAGER, proposed, UNIT, UNTIL } from '../../spec/mandate.fixtures';
import { fold } from '@leadership/kernel';
import type { MandateEvent } from '../mandate/mandate.events';
import { mandateDecider } from '../mandate/mandate.decider';
import type { MandateSnapshot } from '../mandate/mandate.queries';
import type { ExistingMandate } from '../mandate/mandate.state';
import { DEFAULT_TASK_TYPES } from '../task-type/task-type';
import type { AuthorityUnit } from './authority';
import { leadershipMap } from './leadership-map';

const units: AuthorityUnit[] = [
  { id: 'root', parentId: null, managerIds: ['ceo'] },
  { id: UNIT, parentId: 'root', managerIds: [MANAGER] },
  { id: 'team', parentId: UNIT, managerIds: [] },
];
const snapshot = (...histories: (readonly MandateEvent[])[]): MandateSnapshot[] =>
  histories.map((history) => ({ ...(fold(mandateDecider, history) as ExistingMandate), version: history.length - 1 }));
const withId = (mandateId: string, history: readonly MandateEvent[]): MandateEvent[] =>
  history.map((e) => ({ ...e, data: { ...e.data, mandateId } }) as MandateEvent);

const at = '2025-02-10T00:00:00Z';

describe('leadershipMap', () => {
  it('lists holders per task type and the task types nobody holds', () => {
    const map = leadershipMap({ units, mandates: snapshot(activeHistory) }, DEFAULT_TASK_TYPES, UNIT, at);
    expect(map.holders.map((entry) => [entry.taskType, entry.holders.map((h) => h.delegateId)])).toEqual([
      ['case-distribution', [DELEGATE]],
      ['onboarding', []],
      ['shift-planning', []],
      ['coordination', []],
      ['project-lead', []],
    ]);
    expect(map.holders[0]!.holders[0]).toMatchObject({ mandateId: 'm-1', mandateVersion: 2, until: UNTIL, authorities: ['cases.assign', 'cases.prioritise'] });
    expect(map.gaps).toEqual(['onboarding', 'shift-planning', 'coordination', 'project-lead']);
    expect(map.formalManagerIds).toEqual([MANAGER]);
    expect(map.overlaps).toEqual([]);
  });

  it('shows the managers leading a unit without its own: the nearest ancestor with any', () => {
    expect(leadershipMap({ units, mandates: [] }, DEFAULT_TASK_TYPES, 'team', at).formalManagerIds).toEqual([MANAGER]);
  });

  it('does not count suspended, ended or not-yet-active mandates as holders', () => {
    const suspended = withId('m-s', [...activeHistory, event.suspended('2025-02-05T00:00:00Z', 'm-s')]);
    const ended = withId('m-e', [...activeHistory, event.revoked('2025-02-05T00:00:00Z', 'm-e')]);
    const waiting = withId('m-w', [proposed(), event.accepted()]);
    const map = leadershipMap({ units, mandates: snapshot(suspended, ended, waiting) }, DEFAULT_TASK_TYPES, UNIT, at);
    expect(map.gaps).toContain('case-distribution');
  });

  it('reports two holders of an exclusive type in the same scope as an overlap, not in different queues', () => {
    const second = withId('m-2', activeHistory);
    const otherQueue = withId('m-3', [proposed({ scope: { unitId: UNIT, queueId: 'q-2' } }), event.accepted(), event.activated()]);
    const map = leadershipMap({ units, mandates: snapshot(activeHistory, second, otherQueue) }, DEFAULT_TASK_TYPES, UNIT, at);
    expect(map.overlaps).toEqual([{ taskType: 'case-distribution', scope: `${UNIT}/queue:q-1`, mandateIds: ['m-1', 'm-2'] }]);
  });

  it('does not report shared task types as overlaps', () => {
    const onboardingHistory = (id: string) =>
      withId(id, [proposed({ taskType: 'onboarding', scope: { unitId: UNIT }, authorities: ['onboarding.plan'] }), event.accepted(), event.activated()]);
    const map = leadershipMap({ units, mandates: snapshot(onboardingHistory('a'), onboardingHistory('b')) }, DEFAULT_TASK_TYPES, UNIT, at);
    expect(map.holders[1]!.holders).toHaveLength(2);
    expect(map.overlaps).toEqual([]);
  });

  it('lists mandates due for review from activation or the last check-in', () => {
    // Activated 2025-02-01 with a 30-day cadence: due 2025-03-03.
    const checkedIn: MandateEvent = { type: 'MandateCheckInRecorded', data: { mandateId: 'm-1', actorId: DELEGATE, at: '2025-02-20T00:00:00Z', note: '' } };
    expect(leadershipMap({ units, mandates: snapshot(activeHistory) }, DEFAULT_TASK_TYPES, UNIT, '2025-03-02T23:59:59Z').dueForReview).toEqual([]);
    expect(leadershipMap({ units, mandates: snapshot(activeHistory) }, DEFAULT_TASK_TYPES, UNIT, '2025-03-03T00:00:00Z').dueForReview).toEqual([
      { mandateId: 'm-1', delegateId: DELEGATE, dueAt: '2025-03-03T00:00:00.000Z' },
    ]);
    expect(leadershipMap({ units, mandates: snapshot([...activeHistory, checkedIn]) }, DEFAULT_TASK_TYPES, UNIT, '2025-03-03T00:00:00Z').dueForReview).toEqual([]);
  });

  it('lists mandates expiring within the horizon', () => {
    const mandates = snapshot(activeHistory);
    expect(leadershipMap({ units, mandates }, DEFAULT_TASK_TYPES, UNIT, '2025-07-17T23:59:59Z').expiring).toEqual([]);
    expect(leadershipMap({ units, mandates }, DEFAULT_TASK_TYPES, UNIT, '2025-07-18T00:00:00Z').expiring).toEqual([
      { mandateId: 'm-1', delegateId: DELEGATE, until: UNTIL },
    ]);
    expect(leadershipMap({ units, mandates }, DEFAULT_TASK_TYPES, UNIT, '2025-07-01T00:00:00Z', { expiringWithinDays: 31 }).expiring).toHaveLength(1);
    expect(leadershipMap({ units, mandates }, DEFAULT_TASK_TYPES, UNIT, UNTIL).expiring).toEqual([]);
  });

  it('lists mandates awaiting reconfirmation', () => {
    const map = leadershipMap({ units, mandates: snapshot([...activeHistory, event.flagged()]) }, DEFAULT_TASK_TYPES, UNIT, at);
    expect(map.awaitingReconfirmation).toEqual([{ mandateId: 'm-1', reason: 'delegator-no-longer-manages', flaggedAt: '2025-03-01T00:00:00Z' }]);
  });

  it('only looks at the unit asked for', () => {
    expect(leadershipMap({ units, mandates: snapshot(activeHistory) }, DEFAULT_TASK_TYPES, 'team', at).gaps).toHaveLength(5);
  });
});
