import { assertNever, type Decider } from '@leadership/kernel';
import type { CloseNotification, RegisterNotification, NotificationCommand } from './notification.commands';
import {
  NotificationAlreadyExistsError,
  NotificationCloseReasonRequiredError,
  NotificationNotFoundError,
  NotificationTitleRequiredError,
} from './notification.errors';
import type { NotificationEvent } from './notification.events';

export type NotificationStatus = 'open' | 'closed';

/** A notification that was registered. */
export interface ExistingNotification {
  readonly status: NotificationStatus;
  readonly notificationId: string;
  readonly title: string;
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

/** State of a notification stream: `none` until the notification is registered. */
export type NotificationState = { readonly status: 'none' } | ExistingNotification;

type Events = readonly NotificationEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: NotificationState, notificationId: string): ExistingNotification {
  if (state.status === 'none') throw new NotificationNotFoundError(notificationId);
  return state;
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function register(command: RegisterNotification, state: NotificationState): Events {
  const { notificationId, actorId, at } = command.data;
  const title = command.data.title.trim();
  if (state.status !== 'none') {
    // A retried registration is a no-op; reusing the id for another title is a conflict.
    if (state.title === title) return [];
    throw new NotificationAlreadyExistsError(notificationId);
  }
  if (title.length === 0) throw new NotificationTitleRequiredError(notificationId);
  return [{ type: 'NotificationRegistered', data: { notificationId, actorId, at, title } }];
}

function close(command: CloseNotification, state: NotificationState): Events {
  const { notificationId, actorId, at } = command.data;
  const current = existing(state, notificationId);
  // Closing twice is closing once: accepted, nothing new happens (a retried request is harmless).
  if (current.status === 'closed') return [];
  const reason = command.data.reason.trim();
  if (reason.length === 0) throw new NotificationCloseReasonRequiredError(notificationId);
  return [{ type: 'NotificationClosed', data: { notificationId, actorId, at, reason } }];
}

function evolve(state: NotificationState, event: NotificationEvent): NotificationState {
  switch (event.type) {
    case 'NotificationRegistered': {
      const { notificationId, actorId, at, title } = event.data;
      return { status: 'open', notificationId, title, registeredAt: at, registeredBy: actorId, closedAt: null, closeReason: null };
    }
    case 'NotificationClosed':
      // Decide never closes a notification that does not exist; a stream that says so anyway keeps its state.
      return state.status === 'none' ? state : { ...state, status: 'closed', closedAt: event.data.at, closeReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** The notification aggregate as a decider (stream `notification-<id>`, see `notificationStreamName`). */
export const notificationDecider: Decider<NotificationCommand, NotificationEvent, NotificationState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'RegisterNotification':
        return register(command, state);
      case 'CloseNotification':
        return close(command, state);
      default:
        return assertNever(command);
    }
  },
};
