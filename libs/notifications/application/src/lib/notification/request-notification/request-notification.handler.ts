import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import {
  API_DEFAULT_CHANNELS,
  API_WORKFLOW,
  apiEventType,
  notificationDecider,
  notificationStreamName,
  type NotificationContent,
  type NotificationSource,
  type RequestNotification,
  type TemplateData,
} from '@leadership/notifications-domain';
import { toNotificationCommandResult, type NotificationCommandResult } from '../notification-command.result';

export interface RequestNotificationInput {
  readonly notificationId: string;
  readonly source: NotificationSource;
  readonly to: readonly string[];
  readonly category: string;
  readonly content: NotificationContent;
  readonly data: TemplateData;
  readonly critical: boolean;
}

/**
 * Requests a notification through the REST trigger (workflow `api`). With an idempotency key on the
 * context the event id is derived from it, and the notification id from the key too
 * (notificationIdForRequest), so a retried request appends nothing the second time.
 */
export class RequestNotificationHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: RequestNotificationInput, context: CommandContext): Promise<NotificationCommandResult> {
    const stream = notificationStreamName(input.notificationId);
    const command: RequestNotification = {
      type: 'RequestNotification',
      data: {
        ...input,
        actorId: context.actorId,
        at: this.now().toISOString(),
        workflow: API_WORKFLOW,
        eventType: apiEventType(input.category),
        defaultChannels: API_DEFAULT_CHANNELS,
      },
    };
    const result = await handleCommand(this.store, stream, notificationDecider, command, { metadata: metadataFor(context, stream) });
    return toNotificationCommandResult(input.notificationId, result);
  }
}
