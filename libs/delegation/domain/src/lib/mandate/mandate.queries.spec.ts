import { activeHistory, event, FROM, proposed, UNIT, UNTIL } from '../../spec/mandate.fixtures';
import { fold } from '@leadership/kernel';
import { mandateDecider } from './mandate.decider';
import type { MandateEvent } from './mandate.events';
import { coversScope, findOverlappingMandate, reviewDueAt } from './mandate.queries';
import type { ExistingMandate } from './mandate.state';

const state = (history: readonly MandateEvent[]) => fold(mandateDecider, history) as ExistingMandate;
const candidate = { mandateId: 'm-new', taskType: 'case-distribution', scope: { unitId: UNIT, queueId: 'q-1' }, period: { from: '2025-07-01T00:00:00Z', until: '2025-09-01T00:00:00Z' } };

describe('findOverlappingMandate', () => {
  it('finds a live mandate of the same type and scope whose period overlaps', () => {
    expect(findOverlappingMandate([state(activeHistory)], candidate)).toBe('m-1');
    expect(findOverlappingMandate([state([proposed()])], candidate)).toBe('m-1');
  });

  it.each([
    ['the candidate itself', { mandateId: 'm-1' }],
    ['another task type', { taskType: 'onboarding' }],
    ['another queue', { scope: { unitId: UNIT, queueId: 'q-2' } }],
    ['a unit-wide scope', { scope: { unitId: UNIT } }],
    ['a period starting at the end', { period: { from: UNTIL, until: '2025-09-01T00:00:00Z' } }],
    ['a period ending at the start', { period: { from: '2025-01-01T00:00:00Z', until: FROM } }],
  ])('ignores %s', (_label, change) => {
    expect(findOverlappingMandate([state(activeHistory)], { ...candidate, ...change })).toBeUndefined();
  });

  it('ignores ended and declined mandates', () => {
    expect(findOverlappingMandate([state([...activeHistory, event.revoked('2025-03-01T00:00:00Z')]), state([proposed(), event.declined()])], candidate)).toBeUndefined();
  });
});

describe('coversScope', () => {
  it.each([
    [{ unitId: 'u' }, { unitId: 'u', queueId: 'q' }, true],
    [{ unitId: 'u', queueId: 'q' }, { unitId: 'u', queueId: 'q' }, true],
    [{ unitId: 'u', queueId: 'q' }, { unitId: 'u' }, false],
    [{ unitId: 'u', projectId: 'p' }, { unitId: 'u', projectId: 'p' }, true],
    [{ unitId: 'u', projectId: 'p' }, { unitId: 'u', projectId: 'x' }, false],
    [{ unitId: 'u' }, { unitId: 'v' }, false],
  ])('mandate scope %p covers %p: %p', (scope, action, expected) => {
    expect(coversScope(scope, action)).toBe(expected);
  });
});

describe('reviewDueAt', () => {
  it('is null before activation and counts from activation, then from the last check-in', () => {
    expect(reviewDueAt(state([proposed()]))).toBeNull();
    expect(reviewDueAt(state(activeHistory))).toBe('2025-03-03T00:00:00.000Z');
    const checkIn: MandateEvent = { type: 'MandateCheckInRecorded', data: { mandateId: 'm-1', actorId: 'x', at: '2025-02-10T12:00:00Z', note: '' } };
    expect(reviewDueAt(state([...activeHistory, checkIn]))).toBe('2025-03-12T12:00:00.000Z');
  });
});
