import { handleCommand, type EventStore } from '@leadership/event-store';
import { DomainRuleError, metadataFor, type CommandContext } from '@leadership/kernel';
import {
  API_DEFAULT_CHANNELS,
  API_WORKFLOW,
  apiEventType,
  notificationDecider,
  notificationStreamName,
  parseRecipientAddress,
  type NotificationContent,
  type NotificationSource,
  type RequestNotification,
  type TemplateData,
} from '@leadership/notifications-domain';
import type { KnownPeople, RoleFreshness } from '../../ports/notification.ports';
import { toNotificationCommandResult, type NotificationCommandResult } from '../notification-command.result';

/** A request names people the directory does not know: nothing could ever be delivered to them (422). */
export class UnknownRecipientError extends DomainRuleError {
  override readonly name = 'UnknownRecipientError';
  constructor(readonly personIds: readonly string[]) {
    super(
      'notification.recipient-unknown',
      `The directory knows no person ${personIds.join(', ')}: address people by their directory id, or a role (role:<taskType>@unit:<unitId>).`,
      { personIds },
    );
  }
}

/** What the handler asks before it accepts a request. */
export interface RecipientChecks {
  readonly people: KnownPeople;
  readonly roles: RoleFreshness;
}

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
 *
 * Before anything is appended, the addresses are checked against what the caller is answered (the
 * recipients, resolved at once): every person addressed must be known to the directory
 * (UnknownRecipientError; DirectoryUnavailableError when it cannot be asked), and role addresses
 * need the mandates to be fresh (RoleFreshness throws otherwise). A refused request appends
 * nothing, so the caller's retry — with the same Idempotency-Key — is the first request.
 */
export class RequestNotificationHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly recipients: RecipientChecks,
  ) {}

  async execute(input: RequestNotificationInput, context: CommandContext): Promise<NotificationCommandResult> {
    await this.admit(input.to);
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

  private async admit(to: readonly string[]): Promise<void> {
    const addresses = to.map(parseRecipientAddress);
    const personIds = [...new Set(addresses.flatMap((a) => (a.kind === 'person' ? [a.personId] : [])))];
    const known = await Promise.all(personIds.map((personId) => this.recipients.people.knows(personId)));
    const unknown = personIds.filter((_, i) => !known[i]);
    if (unknown.length > 0) throw new UnknownRecipientError(unknown);
    // Last, right before the append: the directory's answers may take a while, the bound is a second.
    if (addresses.some((a) => a.kind === 'role')) this.recipients.roles.assertFresh();
  }
}
