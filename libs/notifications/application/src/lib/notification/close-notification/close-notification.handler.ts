import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { notificationDecider, notificationStreamName, NotificationNotFoundError, type CloseNotification } from '@leadership/notifications-domain';
import { toNotificationCommandResult, type NotificationCommandResult } from '../notification-command.result';

export interface CloseNotificationInput {
  readonly notificationId: string;
  readonly reason: string;
  /** The notification version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
}

/** Closes an open notification; closing a closed one changes nothing. */
export class CloseNotificationHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: CloseNotificationInput, context: CommandContext): Promise<NotificationCommandResult> {
    const stream = notificationStreamName(input.notificationId);
    const command: CloseNotification = {
      type: 'CloseNotification',
      data: { notificationId: input.notificationId, actorId: context.actorId, at: this.now().toISOString(), reason: input.reason },
    };
    try {
      const result = await handleCommand(this.store, stream, notificationDecider, command, {
        metadata: metadataFor(context, stream),
        ...(input.expectedVersion !== undefined ? { expectedRevision: input.expectedVersion } : {}),
      });
      return toNotificationCommandResult(input.notificationId, result);
    } catch (error) {
      // A version given for a notification that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new NotificationNotFoundError(input.notificationId);
      throw error;
    }
  }
}
