import type { TimeWindow } from '../shared/instant';

/* Events of a presenter's calendar (`presenter-<personId>`). */

interface PresenterEventData {
  readonly personId: string;
  readonly actorId: string;
  readonly at: string;
}

/** Reserved, or moved: the slot replaces any earlier one of the same booking. */
export interface PresenterSlotReserved {
  readonly type: 'PresenterSlotReserved';
  readonly data: PresenterEventData & TimeWindow & { readonly bookingId: string; readonly sessionId: string };
}

/** The window given back travels with it: case distribution withdraws exactly that window. */
export interface PresenterSlotFreed {
  readonly type: 'PresenterSlotFreed';
  readonly data: PresenterEventData & TimeWindow & { readonly bookingId: string; readonly sessionId: string };
}

/** The one event union of the presenter calendar. */
export type PresenterEvent = PresenterSlotReserved | PresenterSlotFreed;
