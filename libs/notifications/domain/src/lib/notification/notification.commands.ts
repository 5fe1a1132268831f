import type { Preferences } from '../preferences/preferences';
import type { ResolvedRecipient } from '../recipient/resolve-role-address';
import type { AttemptOutcome, RetryPolicy } from '../shared/delivery-attempts';
import type { CalendarMethod, ChannelSwitches, TemplateData } from '../shared/notification-vocabulary';

/*
 * Commands of the notification aggregate (stream `notification-<id>`). Every command names the
 * notification, who acts (a person or a system component such as `system:dispatcher`) and the
 * instant it happens: the domain never reads a clock or draws an id.
 */

interface NotificationCommandData {
  readonly notificationId: string;
  readonly actorId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** What made the notification: an integration event (its CloudEvent type and id), or a REST trigger (`api` and the Idempotency-Key). */
export interface NotificationSource {
  readonly type: string;
  readonly id: string;
}

/** What the notification says: a template of the catalogue, or a sender's own text (which may use `{{variables}}` too). */
export type NotificationContent = { readonly template: string } | { readonly subject: string; readonly body: string };

/** Creates the notification (from a workflow or `POST /notifications`); a retry with the same content is a no-op. */
export interface RequestNotification {
  readonly type: 'RequestNotification';
  readonly data: NotificationCommandData & {
    readonly source: NotificationSource;
    /** The workflow key (`mandate.proposed`), or `api` for REST triggers. */
    readonly workflow: string;
    /** Type webhook subscriptions filter on: the workflow key, or `api.<category>`. */
    readonly eventType: string;
    readonly category: string;
    /** Critical notifications ignore preferences that switch channels off, quiet hours and digests. */
    readonly critical: boolean;
    readonly content: NotificationContent;
    /** Variables of the text: ids, titles, instants. No names or e-mail addresses (see isRenderTimeVariable). */
    readonly data: TemplateData;
    /** Person ids and role addresses (`role:<taskType>@unit:<unitId>`). */
    readonly to: readonly string[];
    /** The workflow's channels for people who have not chosen. */
    readonly defaultChannels: ChannelSwitches;
    /** The e-mails are calendar messages (an onboarding session's invitation or cancellation); never digested. */
    readonly calendar?: CalendarMethod;
  };
}

/** A recipient as the application resolved them, with what their deliveries are planned from. */
export interface RecipientFacts extends ResolvedRecipient {
  /** Directory locale (texts fall back to en-GB). */
  readonly locale: string;
  /** The person's preferences now (defaults when they never set any; the time zone is always known). */
  readonly preferences: Preferences;
}

/**
 * Plans the deliveries: the application resolves each address (person ids directly, role
 * addresses with resolveRoleAddress from the mandates in force) and the webhook subscriptions whose
 * filter matches the event type; the decider picks channels and send times from the preferences.
 * Resolution happens once: a repeated command plans nothing new.
 */
export interface ResolveRecipients {
  readonly type: 'ResolveRecipients';
  readonly data: NotificationCommandData & {
    readonly recipients: readonly RecipientFacts[];
    readonly webhookIds: readonly string[];
  };
}

/**
 * At send time a recipient reached through a role is no longer addressed (stillAddressed is false):
 * the delivery is withdrawn and the people the role resolves to now are planned instead.
 */
export interface RedirectDelivery {
  readonly type: 'RedirectDelivery';
  readonly data: NotificationCommandData & { readonly deliveryId: string; readonly successors: readonly RecipientFacts[] };
}

/** The outcome of one send attempt of an e-mail or webhook delivery (or of the digest that carried it). */
export interface RecordDeliveryAttempt {
  readonly type: 'RecordDeliveryAttempt';
  readonly data: NotificationCommandData & {
    readonly deliveryId: string;
    readonly outcome: AttemptOutcome;
    /** Set when the e-mail went out in a digest rather than on its own. */
    readonly digestId?: string | null;
    /**
     * The sender's retry policy (operations configure back-off per deployment; tests shorten it).
     * Default: RETRY_POLICIES of the channel. The decision it leads to is stored in the event.
     */
    readonly retryPolicy?: RetryPolicy;
  };
}

/** One attempt of {@link RecordDeliveryAttempts}: RecordDeliveryAttempt's fields without the notification's. */
export type DeliveryAttemptRecord = Omit<RecordDeliveryAttempt['data'], keyof NotificationCommandData>;

/**
 * The attempts of one dispatch at a notification, recorded together: the dispatcher sends a
 * notification's due e-mails and webhooks side by side and then records them in one append (one
 * write instead of one per delivery). Decided as RecordDeliveryAttempt one after the other, each on
 * the state after the previous one: the same events, and any refusal refuses the whole command.
 */
export interface RecordDeliveryAttempts {
  readonly type: 'RecordDeliveryAttempts';
  readonly data: NotificationCommandData & { readonly attempts: readonly DeliveryAttemptRecord[] };
}

/** Sends a dead-lettered delivery (or a delivered webhook) again, with a fresh retry budget. */
export interface ReplayDelivery {
  readonly type: 'ReplayDelivery';
  readonly data: NotificationCommandData & { readonly deliveryId: string };
}

/** The recipient marks an inbox item read, unread again, or archives it. */
export interface ChangeInboxItem {
  readonly type: 'MarkRead' | 'MarkUnread' | 'Archive';
  readonly data: NotificationCommandData & { readonly deliveryId: string };
}

export type NotificationCommand = RequestNotification | ResolveRecipients | RedirectDelivery | RecordDeliveryAttempt | RecordDeliveryAttempts | ReplayDelivery | ChangeInboxItem;
