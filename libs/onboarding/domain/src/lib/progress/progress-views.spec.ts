import { fold } from '@leadership/kernel';
import { CLEO, session, STOCKHOLM, task } from '../../spec/onboarding.fixtures';
import { planDecider, type ExistingPlan } from '../plan/plan.decider';
import type { PlanCommand } from '../plan/plan.commands';
import type { PlanEvent } from '../plan/plan.events';
import type { ExistingSession } from '../session/session.decider';
import { toStepDefinition, type StepInput } from '../step/step-definition';
import { newcomerChecklist, unitOverview } from './progress-views';

function planOf(newcomerId: string, steps: StepInput[], extra: PlanCommand[] = []): ExistingPlan {
  const generate: PlanCommand = {
    type: 'GeneratePlan',
    data: { newcomerId, at: '2026-10-12T08:00:00.000Z', stamp: CLEO, unitId: 'unit-support', startDate: '2026-10-19', timeZone: STOCKHOLM, programmes: [{ programmeId: 'p', version: 1, unitId: 'unit-support', title: 'p', steps: steps.map(toStepDefinition) }] },
  };
  const events: PlanEvent[] = [];
  for (const command of [generate, ...extra]) events.push(...planDecider.decide(command, fold(planDecider, events)));
  return fold(planDecider, events) as ExistingPlan;
}

const STEPS = [
  session('welcome', { dayOffset: 0, time: '09:00', presenter: { personId: 'person-ben' } }),
  task('policies', { dayOffset: 0 }),
  task('questions', { dayOffset: 3, after: 'policies' }),
  task('orphan', { dayOffset: 1, owner: undefined }),
  task('extra', { dayOffset: 5 }),
];
const NOW = '2026-10-21T12:00:00.000Z';

describe('newcomerChecklist', () => {
  it('lists the current steps in calendar order with done, late, waiting, open, past and upcoming', () => {
    const plan = planOf('person-nina', STEPS, [{ type: 'RemoveStep', data: { newcomerId: 'person-nina', at: '2026-10-13T08:00:00.000Z', stamp: CLEO, key: 'extra', reason: 'not needed' } }]);
    const checklist = newcomerChecklist(plan, NOW);
    expect(checklist.items.map((item) => [item.key, item.status, item.waitingFor])).toEqual([
      ['welcome', 'past', null],
      ['policies', 'late', null],
      ['orphan', 'late', null],
      ['questions', 'waiting', 'policies'],
    ]);
    expect(checklist).toMatchObject({ tasksDone: 0, tasksTotal: 3, late: 2 });
    const done = planOf('person-nina', STEPS, [{ type: 'CompleteTask', data: { newcomerId: 'person-nina', at: '2026-10-19T10:00:00.000Z', key: 'policies', actorId: 'person-nina' } }]);
    expect(newcomerChecklist(done, NOW).items.filter((i) => i.kind === 'task').map((i) => [i.key, i.status])).toEqual([
      ['policies', 'done'],
      ['orphan', 'late'],
      ['questions', 'open'],
      ['extra', 'open'],
    ]);
  });

  it('is empty for a draft', () => {
    const draft = fold(planDecider, planDecider.decide({ type: 'GenerateDraftPlan', data: { newcomerId: 'person-x', at: NOW, unitId: 'unit-support', actorId: 'system' } }, { status: 'none' })) as ExistingPlan;
    expect(newcomerChecklist(draft, NOW)).toEqual({ newcomerId: 'person-x', status: 'draft', items: [], tasksDone: 0, tasksTotal: 0, late: 0 });
  });
});

describe('unitOverview', () => {
  const nina = planOf('person-nina', STEPS);
  const welcome = nina.status === 'active' ? nina.steps[0] : undefined;
  const sessionOf = (sessionId: string, presenterId: string | null, from: string, to: string, unitId = 'unit-support'): ExistingSession => ({
    status: 'scheduled',
    sessionId,
    planId: 'person-nina',
    stepKey: 'welcome',
    unitId,
    organiserId: 'person-cleo',
    attendeeIds: ['person-nina'],
    presenterId,
    bookingId: presenterId ? 'b' : null,
    sequence: 0,
    changedAt: NOW,
    title: 'Welcome',
    from,
    to,
    location: null,
    link: null,
    capacity: null,
    presenterSlot: { personId: 'person-ben' },
  });

  it('shows each newcomer, late tasks, sessions still to come without a confirmed presenter, and tasks nobody owns', () => {
    const overview = unitOverview(
      'unit-support',
      [nina, planOf('person-olle', [task('t', { dayOffset: 10 })]), { ...nina, unitId: 'unit-sales', newcomerId: 'person-sales' }],
      [
        sessionOf('s-past', null, welcome?.start ?? '', welcome?.end ?? ''),
        sessionOf('s-open', null, '2026-10-23T08:00:00.000Z', '2026-10-23T09:00:00.000Z'),
        sessionOf('s-staffed', 'person-ben', '2026-10-23T08:00:00.000Z', '2026-10-23T09:00:00.000Z'),
        sessionOf('s-other-unit', null, '2026-10-23T08:00:00.000Z', '2026-10-23T09:00:00.000Z', 'unit-sales'),
        // No slot in the programme: booked by hand, and the request was declined — still nobody to present.
        { ...sessionOf('s-no-slot', null, '2026-10-24T08:00:00.000Z', '2026-10-24T09:00:00.000Z'), presenterSlot: null },
      ],
      NOW,
    );
    expect(overview.newcomers.map((n) => [n.newcomerId, n.status, n.tasksDone, n.tasksTotal, n.late])).toEqual([
      ['person-nina', 'active', 0, 4, 2],
      ['person-olle', 'active', 0, 1, 0],
    ]);
    expect(overview.lateTasks.map((t) => [t.newcomerId, t.key])).toEqual([
      ['person-nina', 'policies'],
      ['person-nina', 'orphan'],
    ]);
    expect(overview.sessionsWithoutPresenter.map((s) => [s.sessionId, s.presenterSlot])).toEqual([
      ['s-open', { personId: 'person-ben' }],
      ['s-no-slot', null],
    ]);
    expect(overview.tasksWithoutOwner.map((t) => t.key)).toEqual(['orphan']);
  });
});
