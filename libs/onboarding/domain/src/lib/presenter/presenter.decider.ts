import { assertNever, type Decider } from '@leadership/kernel';
import { sameInstant, validWindow } from '../shared/instant';
import { refusePresenterConflicts, type PresenterSlot } from './presenter-conflicts';
import type { FreeSlot, PresenterCommand, ReserveSlot } from './presenter.commands';
import { PresenterSlotInvalidError } from './presenter.errors';
import type { PresenterEvent } from './presenter.events';

/**
 * A presenter's calendar: the slots of their confirmed bookings. A new stream is an empty calendar,
 * so there is no `none` state: everybody can be asked.
 */
export interface PresenterCalendar {
  readonly personId: string | null;
  readonly slots: readonly PresenterSlot[];
}

type Events = readonly PresenterEvent[];

function reserve(command: ReserveSlot, state: PresenterCalendar): Events {
  const { personId, actorId, at, bookingId, sessionId, from, to, absences } = command.data;
  if (!validWindow({ from, to })) throw new PresenterSlotInvalidError(personId, bookingId);
  const current = state.slots.find((slot) => slot.bookingId === bookingId);
  // The same reservation again is the retry of an accept whose booking write was lost: nothing to do.
  if (current && sameInstant(current.from, from) && sameInstant(current.to, to)) return [];
  refusePresenterConflicts(personId, bookingId, { from, to }, absences, state.slots);
  return [{ type: 'PresenterSlotReserved', data: { personId, actorId, at, bookingId, sessionId, from, to } }];
}

function free(command: FreeSlot, state: PresenterCalendar): Events {
  const { personId, actorId, at, bookingId } = command.data;
  const current = state.slots.find((slot) => slot.bookingId === bookingId);
  if (!current) return [];
  return [{ type: 'PresenterSlotFreed', data: { personId, actorId, at, bookingId, sessionId: current.sessionId, from: current.from, to: current.to } }];
}

export function evolvePresenter(state: PresenterCalendar, event: PresenterEvent): PresenterCalendar {
  const { personId, bookingId } = event.data;
  const others = state.slots.filter((slot) => slot.bookingId !== bookingId);
  switch (event.type) {
    case 'PresenterSlotReserved': {
      const { sessionId, from, to } = event.data;
      return { personId, slots: [...others, { bookingId, sessionId, from, to }] };
    }
    case 'PresenterSlotFreed':
      return { personId, slots: others };
    default:
      return assertNever(event);
  }
}

/** The presenter calendar (stream `presenter-<personId>`, see `presenterStreamName`). */
export const presenterDecider: Decider<PresenterCommand, PresenterEvent, PresenterCalendar> = {
  initialState: () => ({ personId: null, slots: [] }),
  evolve: evolvePresenter,
  decide(command, state) {
    switch (command.type) {
      case 'ReserveSlot':
        return reserve(command, state);
      case 'FreeSlot':
        return free(command, state);
      default:
        return assertNever(command);
    }
  },
};
