import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { ANA, at, CLEO, T0 } from '../../spec/onboarding.fixtures';
import type { SessionCommand, SessionDetails } from './session.commands';
import { sessionDecider } from './session.decider';
import {
  SessionAlreadyExistsError,
  SessionCancelledError,
  SessionDetailsInvalidError,
  SessionNotFoundError,
  SessionPresenterTakenError,
  SessionStampInvalidError,
} from './session.errors';
import type { SessionEvent } from './session.events';

const ID = 'session-1';
const DETAILS: SessionDetails = {
  title: 'How cases are distributed',
  from: at(7 * 24 * 60),
  to: at(7 * 24 * 60 + 60),
  location: 'Room Vänern',
  link: null,
  capacity: 4,
  presenterSlot: { role: { taskType: 'case-distribution', unitId: 'unit-support' } },
};

const cmd = {
  schedule: (extra: Partial<Extract<SessionCommand, { type: 'ScheduleSession' }>['data']> = {}): SessionCommand => ({
    type: 'ScheduleSession',
    data: { sessionId: ID, at: T0, ...DETAILS, stamp: CLEO, planId: 'person-nina', stepKey: 'how-cases', unitId: 'unit-support', attendeeIds: ['person-nina', 'person-nina'], ...extra },
  }),
  revise: (details: Partial<SessionDetails>): SessionCommand => ({ type: 'ReviseSession', data: { sessionId: ID, at: at(10), ...DETAILS, ...details, stamp: CLEO } }),
  assign: (bookingId = 'b1', presenterId = 'person-ben'): SessionCommand => ({ type: 'AssignPresenter', data: { sessionId: ID, at: at(20), actorId: presenterId, presenterId, bookingId } }),
  unassign: (bookingId = 'b1'): SessionCommand => ({ type: 'UnassignPresenter', data: { sessionId: ID, at: at(30), actorId: 'system', bookingId } }),
  cancel: (reason = 'step removed'): SessionCommand => ({ type: 'CancelSession', data: { sessionId: ID, at: at(40), actorId: 'person-cleo', reason, stamp: CLEO } }),
  handOver: (toOrganiserId = 'person-ana'): SessionCommand => ({
    type: 'HandOverSession',
    data: { sessionId: ID, at: at(50), actorId: 'system:hand-over', toOrganiserId, reason: 'mandate-ended', mandateId: null },
  }),
};
const ev = {
  scheduled: (): SessionEvent => ({
    type: 'SessionScheduled',
    data: { sessionId: ID, actorId: 'person-cleo', at: T0, sequence: 0, ...DETAILS, stamp: CLEO, planId: 'person-nina', stepKey: 'how-cases', unitId: 'unit-support', organiserId: 'person-cleo', attendeeIds: ['person-nina'] },
  }),
  revised: (details: Partial<SessionDetails>, sequence: number): SessionEvent => ({ type: 'SessionRevised', data: { sessionId: ID, actorId: 'person-cleo', at: at(10), sequence, ...DETAILS, ...details, stamp: CLEO } }),
  assigned: (sequence = 1, bookingId = 'b1', presenterId = 'person-ben'): SessionEvent => ({ type: 'SessionPresenterAssigned', data: { sessionId: ID, actorId: presenterId, at: at(20), sequence, presenterId, bookingId } }),
  unassigned: (sequence = 2): SessionEvent => ({ type: 'SessionPresenterUnassigned', data: { sessionId: ID, actorId: 'system', at: at(30), sequence, presenterId: 'person-ben', bookingId: 'b1' } }),
  cancelled: (sequence: number, presenterId: string | null): SessionEvent => ({ type: 'SessionCancelled', data: { sessionId: ID, actorId: 'person-cleo', at: at(40), sequence, reason: 'step removed', stamp: CLEO, presenterId } }),
};

const given = DeciderSpecification.for(sessionDecider);

describe('session decider', () => {
  describe('ScheduleSession', () => {
    it('schedules at SEQUENCE 0 with its organiser, attendees once each', () => {
      given([]).when(cmd.schedule()).then([ev.scheduled()]);
    });

    it('changes nothing when scheduled again the same way', () => {
      given([ev.scheduled()]).when(cmd.schedule({ at: at(5) })).thenNothingHappens();
    });

    it('refuses the id for another session, bad details, a full session and an incomplete stamp', () => {
      given([ev.scheduled()]).when(cmd.schedule({ title: 'Another' })).thenThrows(SessionAlreadyExistsError, 'session.already-exists');
      given([]).when(cmd.schedule({ from: DETAILS.to, to: DETAILS.from })).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
      given([]).when(cmd.schedule({ title: ' ' })).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
      given([]).when(cmd.schedule({ capacity: 1, attendeeIds: ['a', 'b'] })).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
      given([]).when(cmd.schedule({ presenterSlot: { skill: '' } })).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
      given([]).when(cmd.schedule({ stamp: { ...ANA, mandateVersion: 1 } })).thenThrows(SessionStampInvalidError, 'session.stamp-invalid');
    });
  });

  describe('ReviseSession', () => {
    it('takes a new time or place with the next SEQUENCE (attendees see it)', () => {
      given([ev.scheduled()]).when(cmd.revise({ from: at(8 * 24 * 60), to: at(8 * 24 * 60 + 60) })).then([ev.revised({ from: at(8 * 24 * 60), to: at(8 * 24 * 60 + 60) }, 1)]);
      given([ev.scheduled()]).when(cmd.revise({ location: null, link: 'https://meet.example.com/x' })).then([ev.revised({ location: null, link: 'https://meet.example.com/x' }, 1)]);
    });

    it('keeps the SEQUENCE for what attendees do not see (capacity, the presenter slot)', () => {
      given([ev.scheduled()]).when(cmd.revise({ capacity: 10, presenterSlot: { personId: 'person-dan' } })).then([ev.revised({ capacity: 10, presenterSlot: { personId: 'person-dan' } }, 0)]);
    });

    it('changes nothing for the same details, and refuses a cancelled session', () => {
      given([ev.scheduled()]).when(cmd.revise({})).thenNothingHappens();
      given([ev.scheduled(), ev.cancelled(1, null)]).when(cmd.revise({ title: 'x' })).thenThrows(SessionCancelledError, 'session.cancelled');
      given([]).when(cmd.revise({})).thenThrows(SessionNotFoundError, 'session.not-found');
    });
  });

  describe('AssignPresenter / UnassignPresenter', () => {
    it('assigns the confirmed presenter and takes them off again, each with the next SEQUENCE', () => {
      given([ev.scheduled()]).when(cmd.assign()).then([ev.assigned()]);
      given([ev.scheduled(), ev.assigned()]).when(cmd.unassign()).then([ev.unassigned()]);
    });

    it('changes nothing for the same booking, or for a booking that does not present', () => {
      given([ev.scheduled(), ev.assigned()]).when(cmd.assign()).thenNothingHappens();
      given([ev.scheduled(), ev.assigned()]).when(cmd.unassign('b0')).thenNothingHappens();
      given([ev.scheduled()]).when(cmd.unassign()).thenNothingHappens();
    });

    it('refuses a second presenter while one is assigned, and a cancelled session', () => {
      given([ev.scheduled(), ev.assigned()]).when(cmd.assign('b2', 'person-dan')).thenThrows(SessionPresenterTakenError, 'session.presenter-taken', (e) => {
        expect(e.bookingId).toBe('b1');
      });
      given([ev.scheduled(), ev.cancelled(1, null)]).when(cmd.assign()).thenThrows(SessionCancelledError, 'session.cancelled');
    });
  });

  describe('CancelSession', () => {
    it('cancels with the next SEQUENCE, naming the presenter whose time is free again', () => {
      given([ev.scheduled(), ev.assigned()]).when(cmd.cancel()).then([ev.cancelled(2, 'person-ben')]);
    });

    it('changes nothing when cancelled again, and refuses a blank reason', () => {
      given([ev.scheduled(), ev.cancelled(1, null)]).when(cmd.cancel()).thenNothingHappens();
      given([ev.scheduled()]).when(cmd.cancel(' ')).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
    });
  });

  describe('HandOverSession', () => {
    it('hands the session to the new organiser with the next SEQUENCE (ORGANIZER changes)', () => {
      given([ev.scheduled()])
        .when(cmd.handOver())
        .then([{ type: 'SessionHandedOver', data: { sessionId: ID, actorId: 'system:hand-over', at: at(50), sequence: 1, fromOrganiserId: 'person-cleo', toOrganiserId: 'person-ana', reason: 'mandate-ended', mandateId: null } }]);
    });

    it('changes nothing for the same organiser or a cancelled session, and refuses a blank one', () => {
      given([ev.scheduled()]).when(cmd.handOver('person-cleo')).thenNothingHappens();
      given([ev.scheduled(), ev.cancelled(1, null)]).when(cmd.handOver()).thenNothingHappens();
      given([ev.scheduled()]).when(cmd.handOver('')).thenThrows(SessionDetailsInvalidError, 'session.details-invalid');
    });
  });

  it('folds the presenter, organiser and SEQUENCE', () => {
    expect(fold(sessionDecider, [ev.scheduled(), ev.assigned(), ev.unassigned(), ev.assigned(3, 'b2', 'person-dan')])).toMatchObject({
      status: 'scheduled',
      presenterId: 'person-dan',
      bookingId: 'b2',
      sequence: 3,
      changedAt: at(20),
    });
  });
});
