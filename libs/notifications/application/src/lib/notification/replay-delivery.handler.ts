import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { notificationDecider, notificationStreamName } from '@leadership/notifications-domain';
import { toNotificationCommandResult, type NotificationCommandResult } from './notification-command.result';

/**
 * Sends a dead-lettered delivery, or a delivered webhook, again with a fresh retry budget
 * (`POST /webhooks/{id}/deliveries/{deliveryId}/replay`, and compliance/admin for e-mails). The
 * dispatcher picks it up on its next pass; it is signed with the same `webhook-id`, so a receiver
 * that has it already can tell.
 */
export class ReplayDeliveryHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly replayed: () => void = () => undefined,
  ) {}

  async execute(input: { readonly notificationId: string; readonly deliveryId: string }, context: CommandContext): Promise<NotificationCommandResult> {
    const stream = notificationStreamName(input.notificationId);
    const result = await handleCommand(
      this.store,
      stream,
      notificationDecider,
      { type: 'ReplayDelivery', data: { notificationId: input.notificationId, actorId: context.actorId, at: this.now().toISOString(), deliveryId: input.deliveryId } },
      { metadata: metadataFor(context, stream) },
    );
    if (result.newEvents.length > 0) this.replayed();
    return toNotificationCommandResult(input.notificationId, result);
  }
}
