import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at } from '../../spec/case-distribution.fixtures';
import type { AgentCommand, Presence } from './agent.commands';
import { agentAvailabilityAt, agentDecider, MAX_CONSECUTIVE_OFFER_TIMEOUTS } from './agent.decider';
import { AbsenceConflictError, AbsenceOverError, AgentNotFoundError, AgentPeriodInvalidError, PresenceInvalidError, PresenceNotSelfError } from './agent.errors';
import type { AgentEvent } from './agent.events';
import { effectiveCapacity, rampUpShare } from './ramp-up';

const given = DeciderSpecification.for(agentDecider);
const me = { personId: 'cleo', actorId: 'cleo', at: at(0) };
const sys = { personId: 'cleo', actorId: 'system:router', at: at(0) };
const cmd = {
  presence: (status: Presence, actorId = 'cleo'): AgentCommand => ({ type: 'SetPresence', data: { ...me, actorId, status } }),
  absence: (from = at(60), to = at(600), absenceId = 'leave-1'): AgentCommand => ({ type: 'RecordAbsence', data: { ...me, absenceId, from, to } }),
  cancel: (when = at(0)): AgentCommand => ({ type: 'CancelAbsence', data: { ...me, at: when, absenceId: 'leave-1' } }),
  unavailable: (from = at(30), to = at(90)): AgentCommand => ({ type: 'RecordUnavailability', data: { ...sys, sourceId: 'session-9', source: 'onboarding', from, to } }),
  withdraw: (): AgentCommand => ({ type: 'WithdrawUnavailability', data: { ...sys, sourceId: 'session-9' } }),
  timedOut: (caseId: string, offerExpiresAt = at(1)): AgentCommand => ({ type: 'NoteOfferTimedOut', data: { ...sys, caseId, offerExpiresAt } }),
  accepted: (caseId = 'c9'): AgentCommand => ({ type: 'NoteOfferAccepted', data: { ...sys, caseId } }),
};
const ev = {
  available: (): AgentEvent => ({ type: 'AgentPresenceChanged', data: { ...me, status: 'available', reason: 'self' } }),
  absence: (): AgentEvent => ({ type: 'AgentAbsenceRecorded', data: { ...me, absenceId: 'leave-1', from: at(60), to: at(600) } }),
  unavailable: (): AgentEvent => ({ type: 'AgentUnavailabilityRecorded', data: { ...sys, sourceId: 'session-9', source: 'onboarding', from: at(30), to: at(90) } }),
  timedOut: (caseId: string, consecutive: number, offerExpiresAt = at(1)): AgentEvent => ({ type: 'AgentOfferTimedOut', data: { ...sys, caseId, offerExpiresAt, consecutive } }),
};

describe('agent decider', () => {
  describe('SetPresence', () => {
    it('sets the agent\'s own presence', () => {
      given([]).when(cmd.presence('available')).then([ev.available()]);
    });
    it('changes nothing when restated', () => {
      given([ev.available()]).when(cmd.presence('available')).thenNothingHappens();
      given([]).when(cmd.presence('offline')).thenNothingHappens();
    });
    it('refuses someone else and unknown values', () => {
      given([]).when(cmd.presence('available', 'person-ana')).thenThrows(PresenceNotSelfError, 'agent.presence-not-self');
      given([]).when(cmd.presence('busy' as Presence)).thenThrows(PresenceInvalidError, 'agent.presence-invalid');
    });
  });

  describe('absences', () => {
    it('record and cancel an absence', () => {
      given([]).when(cmd.absence()).then([ev.absence()]);
      given([ev.absence()]).when(cmd.cancel()).then([{ type: 'AgentAbsenceCancelled', data: { ...me, absenceId: 'leave-1' } }]);
    });
    it('change nothing for a retried record or a cancel of something not recorded', () => {
      given([ev.absence()]).when(cmd.absence()).thenNothingHappens();
      given([]).when(cmd.cancel()).thenNothingHappens();
    });
    it('refuse empty periods, another period under the same id, and cancelling a past absence', () => {
      given([]).when(cmd.absence(at(60), at(60))).thenThrows(AgentPeriodInvalidError, 'agent.period-invalid');
      given([ev.absence()]).when(cmd.absence(at(60), at(700))).thenThrows(AbsenceConflictError, 'agent.absence-conflict');
      given([ev.absence()]).when(cmd.cancel(at(600))).thenThrows(AbsenceOverError, 'agent.absence-over');
    });
  });

  describe('unavailability from other contexts', () => {
    it('records a window, a rescheduled one again, and withdraws it', () => {
      given([]).when(cmd.unavailable()).then([ev.unavailable()]);
      given([ev.unavailable()]).when(cmd.unavailable(at(40), at(100))).then([{ type: 'AgentUnavailabilityRecorded', data: { ...sys, sourceId: 'session-9', source: 'onboarding', from: at(40), to: at(100) } }]);
      given([ev.unavailable()]).when(cmd.withdraw()).then([{ type: 'AgentUnavailabilityWithdrawn', data: { ...sys, sourceId: 'session-9' } }]);
    });
    it('is idempotent by source id', () => {
      given([ev.unavailable()]).when(cmd.unavailable()).thenNothingHappens();
      given([]).when(cmd.withdraw()).thenNothingHappens();
    });
    it('refuses an empty window', () => {
      given([]).when(cmd.unavailable(at(90), at(30))).thenThrows(AgentPeriodInvalidError);
    });
  });

  describe('offer timeouts', () => {
    it(`sets the agent away after ${MAX_CONSECUTIVE_OFFER_TIMEOUTS} unanswered offers in a row`, () => {
      given([ev.available()]).when(cmd.timedOut('c1')).then([ev.timedOut('c1', 1)]);
      given([ev.available(), ev.timedOut('c1', 1)])
        .when(cmd.timedOut('c2'))
        .then([ev.timedOut('c2', 2), { type: 'AgentPresenceChanged', data: { ...sys, status: 'away', reason: 'offer-timeouts' } }]);
    });
    it('counts a redelivered timeout once, and an accepted offer resets the count', () => {
      given([ev.available(), ev.timedOut('c1', 1)]).when(cmd.timedOut('c1')).thenNothingHappens();
      // The same case offered again and left unanswered again is a second timeout: one case cannot keep an absent agent "available".
      given([ev.available(), ev.timedOut('c1', 1)])
        .when(cmd.timedOut('c1', at(3)))
        .then([ev.timedOut('c1', 2, at(3)), { type: 'AgentPresenceChanged', data: { ...sys, status: 'away', reason: 'offer-timeouts' } }]);
      given([ev.available(), ev.timedOut('c1', 1)]).when(cmd.accepted()).then([{ type: 'AgentOfferTimeoutsReset', data: { ...sys, caseId: 'c9' } }]);
      given([ev.available()]).when(cmd.accepted()).thenNothingHappens();
      expect(fold(agentDecider, [ev.available(), ev.timedOut('c1', 1), { type: 'AgentOfferTimeoutsReset', data: { ...sys, caseId: 'c9' } }])).toMatchObject({ timedOutOffers: [] });
    });
    it('refuses an agent it does not know', () => {
      given([]).when(cmd.timedOut('c1')).thenThrows(AgentNotFoundError, 'agent.not-found');
    });
  });

  it('answers availability at an instant: absent, unavailable, and the return from a long absence', () => {
    const state = fold(agentDecider, [ev.available(), ev.absence(), ev.unavailable()]);
    expect(agentAvailabilityAt(state, at(45))).toEqual({ presence: 'available', absent: false, unavailable: true, returnedFromAbsenceAt: null });
    expect(agentAvailabilityAt(state, at(120))).toMatchObject({ absent: true, returnedFromAbsenceAt: null });
    expect(agentAvailabilityAt(state, at(600))).toMatchObject({ absent: false, returnedFromAbsenceAt: at(600) });
    const short = fold(agentDecider, [{ type: 'AgentAbsenceRecorded', data: { ...me, absenceId: 'dentist', from: at(60), to: at(120) } }]);
    expect(agentAvailabilityAt(short, at(130)).returnedFromAbsenceAt).toBeNull();
  });
});

describe('ramp-up after an absence', () => {
  it('gives half the capacity for two hours, then climbs linearly to all of it at four hours', () => {
    expect([0, 60, 119, 120, 180, 240, 600].map((m) => rampUpShare(at(0), at(m)))).toEqual([0.5, 0.5, 0.5, 0.5, 0.75, 1, 1]);
    expect(rampUpShare(null, at(0))).toBe(1);
    expect([effectiveCapacity(6, at(0), at(0)), effectiveCapacity(1, at(0), at(0)), effectiveCapacity(0, at(0), at(0))]).toEqual([3, 1, 0]);
  });
});
