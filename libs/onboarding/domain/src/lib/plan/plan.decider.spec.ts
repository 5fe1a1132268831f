import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import type { PlanCommand } from './plan.commands';
import { planDecider } from './plan.decider';
import {
  PlanAlreadyExistsError,
  PlanCloseReasonRequiredError,
  PlanNotFoundError,
  PlanTitleRequiredError,
} from './plan.errors';
import type { PlanEvent } from './plan.events';

const ID = 'plan-1';
const ACTOR = 'person-ana';
const REGISTERED_AT = '2026-03-02T09:00:00.000Z';
const CLOSED_AT = '2026-03-03T17:30:00.000Z';

const register = (title = 'First plan'): PlanCommand => ({ type: 'RegisterPlan', data: { planId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const close = (reason = 'done'): PlanCommand => ({ type: 'ClosePlan', data: { planId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });
const registered = (title = 'First plan'): PlanEvent => ({ type: 'PlanRegistered', data: { planId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const closed = (reason = 'done'): PlanEvent => ({ type: 'PlanClosed', data: { planId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });

const given = DeciderSpecification.for(planDecider);

describe('plan decider', () => {
  describe('RegisterPlan', () => {
    it('registers a new plan under its trimmed title', () => {
      given([]).when(register('  First plan ')).then([registered()]);
    });

    it('refuses a blank title', () => {
      given([]).when(register('   ')).thenThrows(PlanTitleRequiredError, 'plan.title-required');
    });

    it('changes nothing when retried with the same title', () => {
      given([registered()]).when(register()).thenNothingHappens();
    });

    it('refuses the id for another title', () => {
      given([registered()])
        .when(register('Another title'))
        .thenThrows(PlanAlreadyExistsError, 'plan.already-exists', (error) => error.details['planId'] === ID);
    });
  });

  describe('ClosePlan', () => {
    it('closes an open plan with the trimmed reason', () => {
      given([registered()]).when(close(' done ')).then([closed()]);
    });

    it('refuses a plan that was never registered', () => {
      given([]).when(close()).thenThrows(PlanNotFoundError, 'plan.not-found');
    });

    it('refuses a blank reason', () => {
      given([registered()]).when(close(' ')).thenThrows(PlanCloseReasonRequiredError, 'plan.close-reason-required');
    });

    it('changes nothing on a closed plan', () => {
      given([registered(), closed()]).when(close('again')).thenNothingHappens();
    });
  });

  it('folds its events into the state', () => {
    expect(fold(planDecider, [])).toEqual({ status: 'none' });
    expect(fold(planDecider, [registered(), closed()])).toEqual({
      status: 'closed',
      planId: ID,
      title: 'First plan',
      registeredAt: REGISTERED_AT,
      registeredBy: ACTOR,
      closedAt: CLOSED_AT,
      closeReason: 'done',
    });
  });
});
