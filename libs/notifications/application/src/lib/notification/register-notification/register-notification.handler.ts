import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { notificationDecider, notificationStreamName, type RegisterNotification } from '@leadership/notifications-domain';
import { toNotificationCommandResult, type NotificationCommandResult } from '../notification-command.result';

export interface RegisterNotificationInput {
  readonly notificationId: string;
  readonly title: string;
}

/**
 * Registers a new notification. With an idempotency key on the context the event id is derived
 * from it, so a retried request appends nothing the second time.
 */
export class RegisterNotificationHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: RegisterNotificationInput, context: CommandContext): Promise<NotificationCommandResult> {
    const stream = notificationStreamName(input.notificationId);
    const command: RegisterNotification = {
      type: 'RegisterNotification',
      data: { notificationId: input.notificationId, actorId: context.actorId, at: this.now().toISOString(), title: input.title },
    };
    const result = await handleCommand(this.store, stream, notificationDecider, command, { metadata: metadataFor(context, stream) });
    return toNotificationCommandResult(input.notificationId, result);
  }
}
