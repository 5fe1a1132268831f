import type { HandleCommandResult } from '@leadership/event-store';
import { NotificationNotFoundError, type ExistingNotification, type NotificationEvent, type NotificationState } from '@leadership/notifications-domain';

/** The notification after a command and its version (stream revision), for the ETag. */
export interface NotificationCommandResult {
  readonly notificationId: string;
  readonly version: number;
  readonly notification: ExistingNotification;
  /** Types of the events appended; empty when the command changed nothing. */
  readonly events: readonly NotificationEvent['type'][];
}

/** What `handleCommand` did, as the use cases answer it. */
export function toNotificationCommandResult(notificationId: string, result: HandleCommandResult<NotificationEvent, NotificationState>): NotificationCommandResult {
  const { newState, nextExpectedRevision } = result;
  // Every command either refuses, or leaves a notification behind; kept as a check rather than a cast.
  if (newState.status === 'none' || nextExpectedRevision === 'no_stream') throw new NotificationNotFoundError(notificationId);
  return { notificationId, version: nextExpectedRevision, notification: newState, events: result.newEvents.map((event) => event.type) };
}
