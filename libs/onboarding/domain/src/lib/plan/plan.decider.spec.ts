import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { ANA, at, CLEO, session, STOCKHOLM, T0, task } from '../../spec/onboarding.fixtures';
import type { ProgrammeSnapshot } from '../programme/programme.decider';
import { toStepDefinition, type StepInput } from '../step/step-definition';
import { StepConditionUnknownError, StepKeyDuplicateError, SessionScheduleRequiredError } from '../step/step.errors';
import type { PlanCommand, StepChanges } from './plan.commands';
import { currentSteps, planDecider, type GeneratedPlan } from './plan.decider';
import {
  PlanAlreadyGeneratedError,
  PlanCompletedError,
  PlanNotFoundError,
  PlanNotGeneratedError,
  PlanOrganiserInvalidError,
  PlanProgrammesRequiredError,
  PlanStampInvalidError,
  PlanStartInvalidError,
  PlanUnitMismatchError,
  StepAlreadyDoneError,
  StepHasDependentsError,
  StepNotATaskError,
  StepNotFoundError,
  StepRemovalReasonRequiredError,
  TaskConditionNotMetError,
  TaskNotOwnerError,
} from './plan.errors';
import type { PlanEvent } from './plan.events';
import { scheduleStep, sessionIdFor } from './plan-step';

const NINA = 'person-nina';
const START = '2026-10-19';
const programme = (programmeId: string, steps: readonly StepInput[], version = 1): ProgrammeSnapshot => ({
  programmeId,
  version,
  unitId: 'unit-support',
  title: programmeId,
  steps: steps.map(toStepDefinition),
});
const BASICS = programme('support-basics', [
  session('welcome', { time: '10:00', durationMinutes: 60, location: 'Room Vänern' }),
  task('policies', { dayOffset: 0 }),
  session('night-shift', { dayOffset: 6, time: '01:30', durationMinutes: 120, presenter: { personId: 'person-ben' } }),
  task('questions', { dayOffset: 7, time: '15:00', after: 'policies', owner: 'buddy' }),
  task('laptop', { dayOffset: -3, owner: 'it' }),
]);
const COMPANY = programme('company', [task('badge', { dayOffset: 1, owner: { personId: 'person-eve' } })], 3);
const PLAN = { planId: NINA, startDate: START, timeZone: STOCKHOLM };
const steps = (p: ProgrammeSnapshot) => p.steps.map((step) => scheduleStep(step, PLAN, { programmeId: p.programmeId, version: p.version }));

const cmd = {
  draft: (): PlanCommand => ({ type: 'GenerateDraftPlan', data: { newcomerId: NINA, at: T0, unitId: 'unit-support', actorId: 'system:directory' } }),
  generate: (extra: Partial<Extract<PlanCommand, { type: 'GeneratePlan' }>['data']> = {}): PlanCommand => ({
    type: 'GeneratePlan',
    data: { newcomerId: NINA, at: at(10), stamp: CLEO, unitId: 'unit-support', startDate: START, timeZone: STOCKHOLM, programmes: [BASICS, COMPANY], ...extra },
  }),
  change: (key: string, changes: StepChanges, stamp = CLEO): PlanCommand => ({ type: 'ChangeStep', data: { newcomerId: NINA, at: at(20), stamp, key, changes } }),
  add: (step: StepInput): PlanCommand => ({ type: 'AddStep', data: { newcomerId: NINA, at: at(20), stamp: CLEO, step } }),
  remove: (key: string, reason = 'already done in her last job'): PlanCommand => ({ type: 'RemoveStep', data: { newcomerId: NINA, at: at(30), stamp: CLEO, key, reason } }),
  complete: (key: string, actorId = NINA, extra: { actorHoldsOwnerRole?: boolean; stamp?: typeof CLEO } = {}): PlanCommand => ({
    type: 'CompleteTask',
    data: { newcomerId: NINA, at: at(40), key, actorId, ...extra },
  }),
  completePlan: (): PlanCommand => ({ type: 'CompletePlan', data: { newcomerId: NINA, at: at(50), stamp: CLEO } }),
  handOver: (toOrganiserId = 'person-dan'): PlanCommand => ({
    type: 'HandOverPlan',
    data: { newcomerId: NINA, at: at(60), actorId: 'system:hand-over', toOrganiserId, reason: 'mandate-passed', mandateId: 'mandate-dan' },
  }),
};

const ev = {
  drafted: (): PlanEvent => ({ type: 'PlanDrafted', data: { planId: NINA, actorId: 'system:directory', at: T0, newcomerId: NINA, unitId: 'unit-support' } }),
  generated: (): PlanEvent => ({
    type: 'PlanGenerated',
    data: {
      planId: NINA,
      actorId: 'person-cleo',
      at: at(10),
      stamp: CLEO,
      newcomerId: NINA,
      unitId: 'unit-support',
      startDate: START,
      timeZone: STOCKHOLM,
      programmes: [
        { programmeId: 'support-basics', version: 1 },
        { programmeId: 'company', version: 3 },
      ],
      organiserId: 'person-cleo',
      steps: [...steps(BASICS), ...steps(COMPANY)],
    },
  }),
  done: (key: string, actorId = NINA, stamp: typeof CLEO | null = null): PlanEvent => ({ type: 'TaskCompleted', data: { planId: NINA, actorId, at: at(40), key, stamp } }),
  removed: (key: string): PlanEvent => ({ type: 'PlanStepRemoved', data: { planId: NINA, actorId: 'person-cleo', at: at(30), stamp: CLEO, key, reason: 'already done in her last job' } }),
  completed: (openSteps: string[]): PlanEvent => ({ type: 'PlanCompleted', data: { planId: NINA, actorId: 'person-cleo', at: at(50), stamp: CLEO, openSteps } }),
};

const given = DeciderSpecification.for(planDecider);
const generatedPlan = (events: PlanEvent[]) => fold(planDecider, events) as GeneratedPlan;

describe('plan decider', () => {
  describe('GenerateDraftPlan', () => {
    it('drafts a plan for a newcomer the directory announced', () => {
      given([]).when(cmd.draft()).then([ev.drafted()]);
    });

    it('changes nothing for a newcomer who has a plan (redelivery, or planned before the directory spoke)', () => {
      given([ev.drafted()]).when(cmd.draft()).thenNothingHappens();
      given([ev.generated()]).when(cmd.draft()).thenNothingHappens();
    });
  });

  describe('GeneratePlan', () => {
    it('generates from several programme versions, placing every step in the newcomer\'s zone', () => {
      given([]).when(cmd.generate()).then([ev.generated()]);
      given([ev.drafted()]).when(cmd.generate()).then([ev.generated()]);
    });

    it('places sessions and deadlines DST-correctly in Europe/Stockholm (a session across the October change)', () => {
      const plan = generatedPlan([ev.generated()]);
      const step = (key: string) => plan.steps.find((s) => s.key === key);
      // Day 0 is Monday 19 October, still summer time (UTC+2).
      expect(step('welcome')).toMatchObject({ localDate: '2026-10-19', start: '2026-10-19T08:00:00.000Z', end: '2026-10-19T09:00:00.000Z', sessionId: sessionIdFor(NINA, 'welcome') });
      // 01:30 CEST on 25 October, 120 elapsed minutes: it ends at 02:30 CET, after the clocks went back.
      expect(step('night-shift')).toMatchObject({ localDate: '2026-10-25', start: '2026-10-24T23:30:00.000Z', end: '2026-10-25T01:30:00.000Z' });
      // A deadline at a time is that local time; winter time (UTC+1) from 26 October.
      expect(step('questions')).toMatchObject({ localDate: '2026-10-26', due: '2026-10-26T14:00:00.000Z', start: null, sessionId: null });
      // Without a time the whole day counts: due when the next local day begins.
      expect(step('policies')).toMatchObject({ due: '2026-10-19T22:00:00.000Z' });
      expect(step('laptop')).toMatchObject({ localDate: '2026-10-16', due: '2026-10-16T22:00:00.000Z' });
      expect(step('badge')).toMatchObject({ origin: { programmeId: 'company', version: 3 } });
    });

    it('changes nothing when generated again the same way, and refuses a different generation (edits would be lost)', () => {
      given([ev.generated()]).when(cmd.generate()).thenNothingHappens();
      given([ev.generated()]).when(cmd.generate({ startDate: '2026-10-26' })).thenThrows(PlanAlreadyGeneratedError, 'plan.already-generated');
    });

    it('refuses bad stamps, dates, zones, no programmes, another unit than the draft\'s and colliding keys', () => {
      given([]).when(cmd.generate({ stamp: { ...CLEO, mandateId: null } })).thenThrows(PlanStampInvalidError, 'plan.stamp-invalid');
      given([]).when(cmd.generate({ startDate: '2026-02-30' })).thenThrows(PlanStartInvalidError, 'plan.start-invalid');
      given([]).when(cmd.generate({ timeZone: '+02:00' })).thenThrows(PlanStartInvalidError, 'plan.start-invalid', (e) => e.field === 'timeZone');
      given([]).when(cmd.generate({ programmes: [] })).thenThrows(PlanProgrammesRequiredError, 'plan.programmes-required');
      given([ev.drafted()]).when(cmd.generate({ unitId: 'unit-sales' })).thenThrows(PlanUnitMismatchError, 'plan.unit-mismatch');
      given([]).when(cmd.generate({ programmes: [BASICS, programme('other', [task('laptop')])] })).thenThrows(StepKeyDuplicateError, 'onboarding.step-key-duplicate');
    });
  });

  describe('ChangeStep', () => {
    it('changes one step for this newcomer, re-placing it on the calendar (the programme is untouched)', () => {
      const before = generatedPlan([ev.generated()]).steps.find((s) => s.key === 'welcome');
      if (!before) throw new Error('the plan has no welcome step');
      const expected = { ...before, time: '13:30', location: null, start: '2026-10-19T11:30:00.000Z', end: '2026-10-19T12:30:00.000Z' };
      given([ev.generated()])
        .when(cmd.change('welcome', { time: '13:30', location: null }))
        .then([{ type: 'PlanStepChanged', data: { planId: NINA, actorId: 'person-cleo', at: at(20), stamp: CLEO, step: expected } }]);
    });

    it('changes nothing when the step already says so', () => {
      given([ev.generated()]).when(cmd.change('welcome', { time: '10:00', location: 'Room Vänern' })).thenNothingHappens();
    });

    it('refuses an unknown, removed or done step, a draft, a completed plan and a change that breaks a rule', () => {
      given([ev.generated()]).when(cmd.change('nowhere', { title: 'x' })).thenThrows(StepNotFoundError, 'plan.step-not-found');
      given([ev.generated(), ev.removed('laptop')]).when(cmd.change('laptop', { title: 'x' })).thenThrows(StepNotFoundError, 'plan.step-not-found');
      given([ev.generated(), ev.done('policies')]).when(cmd.change('policies', { title: 'x' })).thenThrows(StepAlreadyDoneError, 'plan.step-already-done');
      given([ev.drafted()]).when(cmd.change('welcome', { title: 'x' })).thenThrows(PlanNotGeneratedError, 'plan.not-generated');
      given([]).when(cmd.change('welcome', { title: 'x' })).thenThrows(PlanNotFoundError, 'plan.not-found');
      given([ev.generated(), ev.completed([])]).when(cmd.change('welcome', { title: 'x' })).thenThrows(PlanCompletedError, 'plan.completed');
      given([ev.generated()]).when(cmd.change('welcome', { time: null })).thenThrows(SessionScheduleRequiredError, 'onboarding.session-schedule-required');
      given([ev.generated()]).when(cmd.change('laptop', { after: 'nowhere' })).thenThrows(StepConditionUnknownError, 'onboarding.step-condition-unknown');
      given([ev.generated()]).when(cmd.change('welcome', { title: 'x' }, { ...ANA, actorId: '' })).thenThrows(PlanStampInvalidError, 'plan.stamp-invalid');
    });
  });

  describe('AddStep', () => {
    it('adds a step to this plan only, placed on its calendar', () => {
      const added = scheduleStep(toStepDefinition(session('team-lunch', { dayOffset: 2, time: '12:00', durationMinutes: 60 })), PLAN, null);
      given([ev.generated()]).when(cmd.add(session('team-lunch', { dayOffset: 2, time: '12:00', durationMinutes: 60 }))).then([{ type: 'PlanStepAdded', data: { planId: NINA, actorId: 'person-cleo', at: at(20), stamp: CLEO, step: added } }]);
      expect(added).toMatchObject({ start: '2026-10-21T10:00:00.000Z', sessionId: sessionIdFor(NINA, 'team-lunch') });
    });

    it('changes nothing when the same addition is retried', () => {
      const added = scheduleStep(toStepDefinition(task('extra')), PLAN, null);
      given([ev.generated(), { type: 'PlanStepAdded', data: { planId: NINA, actorId: 'person-cleo', at: at(20), stamp: CLEO, step: added } }]).when(cmd.add(task('extra'))).thenNothingHappens();
    });

    it('refuses a key in use or in the history, and a completed plan', () => {
      given([ev.generated()]).when(cmd.add(task('welcome'))).thenThrows(StepKeyDuplicateError, 'onboarding.step-key-duplicate');
      given([ev.generated(), ev.removed('laptop')]).when(cmd.add(task('laptop', { dayOffset: -3, owner: 'it' }))).thenThrows(StepKeyDuplicateError, 'onboarding.step-key-duplicate');
      given([ev.generated(), ev.completed([])]).when(cmd.add(task('late'))).thenThrows(PlanCompletedError, 'plan.completed');
    });
  });

  describe('RemoveStep', () => {
    it('removes a step and keeps it in the history with the reason', () => {
      given([ev.generated()]).when(cmd.remove('laptop', ' already done in her last job ')).then([ev.removed('laptop')]);
      const plan = generatedPlan([ev.generated(), ev.removed('laptop')]);
      expect(plan.steps.find((s) => s.key === 'laptop')).toMatchObject({ status: 'removed', removedBy: 'person-cleo', removedReason: 'already done in her last job' });
      expect(currentSteps(plan).map((s) => s.key)).not.toContain('laptop');
    });

    it('changes nothing for a step removed before', () => {
      given([ev.generated(), ev.removed('laptop')]).when(cmd.remove('laptop')).thenNothingHappens();
    });

    it('refuses a done step, a step others wait for, a blank reason and an unknown step', () => {
      given([ev.generated(), ev.done('policies')]).when(cmd.remove('policies')).thenThrows(StepAlreadyDoneError, 'plan.step-already-done');
      given([ev.generated()]).when(cmd.remove('policies')).thenThrows(StepHasDependentsError, 'plan.step-has-dependents', (e) => {
        expect(e.dependents).toEqual(['questions']);
      });
      given([ev.generated()]).when(cmd.remove('laptop', ' ')).thenThrows(StepRemovalReasonRequiredError, 'plan.step-removal-reason-required');
      given([ev.generated()]).when(cmd.remove('nowhere')).thenThrows(StepNotFoundError, 'plan.step-not-found');
    });
  });

  describe('CompleteTask', () => {
    it('is done by the owner: the newcomer, a named person, a holder of the owner role', () => {
      given([ev.generated()]).when(cmd.complete('policies')).then([ev.done('policies')]);
      given([ev.generated()]).when(cmd.complete('badge', 'person-eve')).then([ev.done('badge', 'person-eve')]);
      given([ev.generated()]).when(cmd.complete('laptop', 'person-it-1', { actorHoldsOwnerRole: true })).then([ev.done('laptop', 'person-it-1')]);
    });

    it('is done by the onboarding manager on her mandate, which is recorded', () => {
      given([ev.generated()]).when(cmd.complete('laptop', 'person-cleo', { stamp: CLEO })).then([ev.done('laptop', 'person-cleo', CLEO)]);
    });

    it('changes nothing for a done task', () => {
      given([ev.generated(), ev.done('policies')]).when(cmd.complete('policies')).thenNothingHappens();
    });

    it('refuses someone else, a stamp of another person, a session, an unmet condition and a completed plan', () => {
      given([ev.generated()]).when(cmd.complete('laptop', NINA)).thenThrows(TaskNotOwnerError, 'plan.task-not-owner');
      given([ev.generated()]).when(cmd.complete('laptop', 'person-mallory', { stamp: CLEO })).thenThrows(TaskNotOwnerError, 'plan.task-not-owner');
      given([ev.generated()]).when(cmd.complete('welcome')).thenThrows(StepNotATaskError, 'plan.step-not-a-task');
      given([ev.generated()]).when(cmd.complete('questions', 'person-buddy', { actorHoldsOwnerRole: true })).thenThrows(TaskConditionNotMetError, 'plan.task-condition-not-met', (e) => {
        expect(e.after).toBe('policies');
      });
      given([ev.generated(), ev.done('policies')]).when(cmd.complete('questions', 'person-buddy', { actorHoldsOwnerRole: true })).then([ev.done('questions', 'person-buddy')]);
      given([ev.generated(), ev.completed([])]).when(cmd.complete('policies')).thenThrows(PlanCompletedError, 'plan.completed');
    });
  });

  describe('CompletePlan', () => {
    it('completes the plan, naming the tasks still open, and keeps every step (history never disappears)', () => {
      given([ev.generated(), ev.done('policies'), ev.removed('laptop')]).when(cmd.completePlan()).then([ev.completed(['questions', 'badge'])]);
      const plan = generatedPlan([ev.generated(), ev.done('policies'), ev.removed('laptop'), ev.completed(['questions', 'badge'])]);
      expect(plan.status).toBe('completed');
      expect(plan.steps.map((s) => [s.key, s.status])).toEqual([
        ['welcome', 'open'],
        ['policies', 'done'],
        ['night-shift', 'open'],
        ['questions', 'open'],
        ['laptop', 'removed'],
        ['badge', 'open'],
      ]);
    });

    it('changes nothing when completed again, and refuses a draft', () => {
      given([ev.generated(), ev.completed([])]).when(cmd.completePlan()).thenNothingHappens();
      given([ev.drafted()]).when(cmd.completePlan()).thenThrows(PlanNotGeneratedError, 'plan.not-generated');
    });
  });

  describe('HandOverPlan', () => {
    it('hands the plan to the new organiser', () => {
      given([ev.generated()])
        .when(cmd.handOver())
        .then([{ type: 'PlanHandedOver', data: { planId: NINA, actorId: 'system:hand-over', at: at(60), fromOrganiserId: 'person-cleo', toOrganiserId: 'person-dan', reason: 'mandate-passed', mandateId: 'mandate-dan' } }]);
    });

    it('changes nothing for the same organiser, a draft or a completed plan', () => {
      given([ev.generated()]).when(cmd.handOver('person-cleo')).thenNothingHappens();
      given([ev.drafted()]).when(cmd.handOver()).thenNothingHappens();
      given([ev.generated(), ev.completed([])]).when(cmd.handOver()).thenNothingHappens();
    });

    it('refuses a blank organiser and an unknown plan', () => {
      given([ev.generated()]).when(cmd.handOver(' ')).thenThrows(PlanOrganiserInvalidError, 'plan.organiser-invalid');
      given([]).when(cmd.handOver()).thenThrows(PlanNotFoundError, 'plan.not-found');
    });
  });
});
