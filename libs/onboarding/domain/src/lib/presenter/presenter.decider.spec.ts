import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at } from '../../spec/onboarding.fixtures';
import type { TimeWindow } from '../shared/instant';
import type { PresenterCommand } from './presenter.commands';
import { presenterDecider } from './presenter.decider';
import { PresenterAbsentError, PresenterDoubleBookedError, PresenterSlotInvalidError } from './presenter.errors';
import type { PresenterEvent } from './presenter.events';

const BEN = 'person-ben';
const cmd = {
  reserve: (bookingId: string, from: number, to: number, absences: TimeWindow[] = []): PresenterCommand => ({
    type: 'ReserveSlot',
    data: { personId: BEN, actorId: BEN, at: at(0), bookingId, sessionId: `s-${bookingId}`, from: at(from), to: at(to), absences },
  }),
  free: (bookingId: string): PresenterCommand => ({ type: 'FreeSlot', data: { personId: BEN, actorId: 'system', at: at(1), bookingId } }),
};
const reserved = (bookingId: string, from: number, to: number): PresenterEvent => ({
  type: 'PresenterSlotReserved',
  data: { personId: BEN, actorId: BEN, at: at(0), bookingId, sessionId: `s-${bookingId}`, from: at(from), to: at(to) },
});
const freed = (bookingId: string, from = 60, to = 120): PresenterEvent => ({
  type: 'PresenterSlotFreed',
  data: { personId: BEN, actorId: 'system', at: at(1), bookingId, sessionId: `s-${bookingId}`, from: at(from), to: at(to) },
});

const given = DeciderSpecification.for(presenterDecider);

describe('presenter calendar decider', () => {
  describe('ReserveSlot', () => {
    it('reserves the time of a confirmed booking, next to others that do not overlap', () => {
      given([]).when(cmd.reserve('b1', 60, 120)).then([reserved('b1', 60, 120)]);
      given([reserved('b0', 0, 60)]).when(cmd.reserve('b1', 60, 120)).then([reserved('b1', 60, 120)]);
    });

    it('moves the slot of the same booking (its session moved), not counting it as a conflict with itself', () => {
      given([reserved('b1', 60, 120)]).when(cmd.reserve('b1', 90, 150)).then([reserved('b1', 90, 150)]);
    });

    it('changes nothing when the same reservation is retried', () => {
      given([reserved('b1', 60, 120)]).when(cmd.reserve('b1', 60, 120)).thenNothingHappens();
    });

    it('refuses an overlap with another booking, naming it, and an absence', () => {
      given([reserved('b0', 30, 90)]).when(cmd.reserve('b1', 60, 120)).thenThrows(PresenterDoubleBookedError, 'presenter.double-booked', (e) => {
        expect([e.otherBookingId, e.otherSessionId]).toEqual(['b0', 's-b0']);
      });
      given([]).when(cmd.reserve('b1', 60, 120, [{ from: at(100), to: at(500) }])).thenThrows(PresenterAbsentError, 'presenter.absent');
      given([]).when(cmd.reserve('b1', 120, 60)).thenThrows(PresenterSlotInvalidError, 'presenter.slot-invalid');
    });
  });

  describe('FreeSlot', () => {
    it('frees the time of a booking', () => {
      given([reserved('b1', 60, 120)]).when(cmd.free('b1')).then([freed('b1')]);
    });

    it('changes nothing for a booking that holds no time', () => {
      given([reserved('b1', 60, 120), freed('b1')]).when(cmd.free('b1')).thenNothingHappens();
      given([]).when(cmd.free('b1')).thenNothingHappens();
    });
  });

  it('lets the freed time be booked again', () => {
    given([reserved('b0', 30, 90), freed('b0', 30, 90)]).when(cmd.reserve('b1', 60, 120)).then([reserved('b1', 60, 120)]);
    expect(fold(presenterDecider, [reserved('b0', 30, 90), reserved('b1', 90, 120), freed('b0', 30, 90)]).slots.map((s) => s.bookingId)).toEqual(['b1']);
  });
});
