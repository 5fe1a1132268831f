import { readAggregate, type ReadOnlyEventStore } from '@leadership/event-store';
import { notificationDecider, notificationStreamName, NotificationNotFoundError, type ExistingNotification } from '@leadership/notifications-domain';

/** A notification as its stream says (always current), with its version for the ETag. */
export interface NotificationWithVersion {
  readonly notification: ExistingNotification;
  readonly version: number;
}

/** Reads one notification from its stream through the one reader (`readAggregate`). */
export class GetNotificationQuery {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async execute(notificationId: string): Promise<NotificationWithVersion> {
    const { state, revision } = await readAggregate(this.store, notificationDecider, notificationStreamName(notificationId));
    if (state.status === 'none') throw new NotificationNotFoundError(notificationId);
    return { notification: state, version: revision };
  }
}
