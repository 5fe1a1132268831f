import { fold } from '@leadership/kernel';
import { DeciderSpecification, type ErrorClass } from '@leadership/kernel/testing';
import { ANA, CLEO, session, T0, task } from '../../spec/onboarding.fixtures';
import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import { toStepDefinition, type StepInput } from '../step/step-definition';
import {
  SessionCapacityInvalidError,
  SessionDurationInvalidError,
  SessionScheduleRequiredError,
  StepConditionCycleError,
  StepConditionUnknownError,
  StepDayOffsetInvalidError,
  StepFieldNotAllowedError,
  StepKeyDuplicateError,
  StepKeyInvalidError,
  StepLinkInvalidError,
  StepPartyInvalidError,
  StepTimeInvalidError,
  StepTitleRequiredError,
} from '../step/step.errors';
import type { ProgrammeCommand } from './programme.commands';
import { MAX_PROGRAMME_STEPS, programmeDecider } from './programme.decider';
import { ProgrammeStampInvalidError, ProgrammeStepsRequiredError, ProgrammeTitleRequiredError, ProgrammeTooLongError, ProgrammeUnitFixedError } from './programme.errors';
import type { ProgrammeEvent } from './programme.events';

const ID = 'support-basics';
const STEPS: StepInput[] = [
  session('how-cases-are-distributed', { dayOffset: 5, presenter: { role: { taskType: 'case-distribution', unitId: 'unit-support' } }, location: ' Room Vänern ' }),
  task('laptop', { dayOffset: -3, owner: 'it' }),
  task('questions', { dayOffset: 6, after: 'how-cases-are-distributed' }),
];

const define = (steps: readonly StepInput[] = STEPS, extra: Partial<{ unitId: string; title: string; stamp: DecisionStamp }> = {}): ProgrammeCommand => ({
  type: 'DefineProgramme',
  data: { programmeId: ID, at: T0, stamp: CLEO, unitId: 'unit-support', title: ' Support basics ', steps, ...extra },
});

const versionEvent = (type: ProgrammeEvent['type'], version: number, steps: readonly StepInput[] = STEPS, stamp: DecisionStamp = CLEO): ProgrammeEvent => ({
  type,
  data: { programmeId: ID, actorId: stamp.actorId, at: T0, stamp, unitId: 'unit-support', title: 'Support basics', steps: steps.map(toStepDefinition), version },
});

const given = DeciderSpecification.for(programmeDecider);

describe('programme decider', () => {
  describe('DefineProgramme', () => {
    it('defines version 1 with the steps normalised (trimmed, every field present)', () => {
      given([]).when(define()).then([versionEvent('ProgrammeDefined', 1)]);
      expect(toStepDefinition(STEPS[0] as StepInput)).toMatchObject({ location: 'Room Vänern', owner: null, after: null, capacity: null });
    });

    it('changes the content as the next version, on the formal manager\'s authority too', () => {
      const changed = [...STEPS, task('lunch', { dayOffset: 1 })];
      given([versionEvent('ProgrammeDefined', 1)]).when(define(changed, { stamp: ANA })).then([versionEvent('ProgrammeChanged', 2, changed, ANA)]);
    });

    it('changes nothing when the same content is written again (a retried PUT is no new version)', () => {
      given([versionEvent('ProgrammeDefined', 1)]).when(define()).thenNothingHappens();
    });

    it('keeps the programme in its unit', () => {
      given([versionEvent('ProgrammeDefined', 1)]).when(define(STEPS, { unitId: 'unit-sales' })).thenThrows(ProgrammeUnitFixedError, 'programme.unit-fixed');
    });

    it('refuses an incomplete stamp, a blank title, no steps and too many steps', () => {
      given([]).when(define(STEPS, { stamp: { ...CLEO, mandateVersion: null } })).thenThrows(ProgrammeStampInvalidError, 'programme.stamp-invalid');
      given([]).when(define(STEPS, { stamp: { ...ANA, mandateId: 'm' } })).thenThrows(ProgrammeStampInvalidError, 'programme.stamp-invalid');
      given([]).when(define(STEPS, { title: ' ' })).thenThrows(ProgrammeTitleRequiredError, 'programme.title-required');
      given([]).when(define([])).thenThrows(ProgrammeStepsRequiredError, 'programme.steps-required');
      const many = Array.from({ length: MAX_PROGRAMME_STEPS + 1 }, (_, i) => task(`t-${i}`));
      given([]).when(define(many)).thenThrows(ProgrammeTooLongError, 'programme.too-long');
    });

    describe('step rules', () => {
      const refuses = (steps: StepInput[], error: ErrorClass<Error>, rule: string) =>
        given([]).when(define(steps)).thenThrows(error, rule);

      it('keys: kebab-case and unique', () => {
        refuses([task('Not Kebab')], StepKeyInvalidError, 'onboarding.step-key-invalid');
        refuses([task('a'), session('a')], StepKeyDuplicateError, 'onboarding.step-key-duplicate');
      });

      it('titles, day offsets and times', () => {
        refuses([task('a', { title: '  ' })], StepTitleRequiredError, 'onboarding.step-title-required');
        refuses([task('a', { dayOffset: 1.5 })], StepDayOffsetInvalidError, 'onboarding.step-day-offset-invalid');
        refuses([task('a', { dayOffset: -91 })], StepDayOffsetInvalidError, 'onboarding.step-day-offset-invalid');
        refuses([task('a', { time: '25:00' })], StepTimeInvalidError, 'onboarding.step-time-invalid');
      });

      it('sessions need a time and a duration within a working day, and a positive capacity', () => {
        refuses([session('a', { time: undefined })], SessionScheduleRequiredError, 'onboarding.session-schedule-required');
        refuses([session('a', { durationMinutes: undefined })], SessionScheduleRequiredError, 'onboarding.session-schedule-required');
        refuses([session('a', { durationMinutes: 481 })], SessionDurationInvalidError, 'onboarding.session-duration-invalid');
        refuses([session('a', { capacity: 0 })], SessionCapacityInvalidError, 'onboarding.session-capacity-invalid');
      });

      it('fields of the other kind, invalid parties and plain-http links', () => {
        refuses([task('a', { presenter: { personId: 'p' } })], StepFieldNotAllowedError, 'onboarding.step-field-not-allowed');
        refuses([task('a', { durationMinutes: 30 })], StepFieldNotAllowedError, 'onboarding.step-field-not-allowed');
        refuses([session('a', { owner: 'buddy' })], StepFieldNotAllowedError, 'onboarding.step-field-not-allowed');
        refuses([session('a', { presenter: { skill: ' ' } })], StepPartyInvalidError, 'onboarding.step-party-invalid');
        refuses([task('a', { owner: { personId: '' } })], StepPartyInvalidError, 'onboarding.step-party-invalid');
        refuses([session('a', { link: 'http://meet.example.com/x' })], StepLinkInvalidError, 'onboarding.step-link-invalid');
      });

      it('conditions name another step (earlier or later) and never go round in a circle', () => {
        given([]).when(define([task('a', { after: 'b' }), task('b', { dayOffset: 3 })])).then([versionEvent('ProgrammeDefined', 1, [task('a', { after: 'b' }), task('b', { dayOffset: 3 })])]);
        refuses([task('a', { after: 'nowhere' })], StepConditionUnknownError, 'onboarding.step-condition-unknown');
        refuses([task('a', { after: 'a' })], StepConditionUnknownError, 'onboarding.step-condition-unknown');
        given([])
          .when(define([task('a', { after: 'c' }), task('b', { after: 'a' }), task('c', { after: 'b' })]))
          .thenThrows(StepConditionCycleError, 'onboarding.step-condition-cycle', (error) => {
            expect(error.cycle).toEqual(['a', 'c', 'b', 'a']);
          });
      });
    });
  });

  it('folds to the latest version', () => {
    expect(fold(programmeDecider, [versionEvent('ProgrammeDefined', 1), versionEvent('ProgrammeChanged', 2, [task('x')], ANA)])).toMatchObject({
      status: 'defined',
      version: 2,
      steps: [toStepDefinition(task('x'))],
      changedBy: 'person-ana',
    });
  });
});
