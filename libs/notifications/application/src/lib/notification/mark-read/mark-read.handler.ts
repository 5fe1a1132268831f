import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { notificationDecider, notificationStreamName, NotificationNotFoundError, type ChangeInboxItem } from '@leadership/notifications-domain';
import { toNotificationCommandResult, type NotificationCommandResult } from '../notification-command.result';

export interface MarkReadInput {
  readonly notificationId: string;
  /** The inbox item: the notification's in-app delivery to the caller. */
  readonly deliveryId: string;
  /** The notification version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
  /** What to do with the item [MarkRead]. */
  readonly change?: ChangeInboxItem['type'];
}

/** Marks the caller's inbox item read (or unread again, or archives it); a repeat changes nothing. */
export class MarkReadHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: MarkReadInput, context: CommandContext): Promise<NotificationCommandResult> {
    const stream = notificationStreamName(input.notificationId);
    const command: ChangeInboxItem = {
      type: input.change ?? 'MarkRead',
      data: { notificationId: input.notificationId, actorId: context.actorId, at: this.now().toISOString(), deliveryId: input.deliveryId },
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
