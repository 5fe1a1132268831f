import { DomainRuleError } from '@leadership/kernel';

/** A command other than RequestNotification for a notification that was never requested. */
export class NotificationNotFoundError extends DomainRuleError {
  override readonly name = 'NotificationNotFoundError';
  constructor(readonly notificationId: string) {
    super('notification.not-found', `notification ${notificationId} does not exist`, { notificationId });
  }
}

/** The id is taken by a notification with other content (the same request again is a no-op). */
export class NotificationAlreadyExistsError extends DomainRuleError {
  override readonly name = 'NotificationAlreadyExistsError';
  constructor(readonly notificationId: string) {
    super('notification.already-exists', `notification ${notificationId} exists with other content; use a new Idempotency-Key for a new notification`, { notificationId });
  }
}

/** A notification goes to one to MAX_RECIPIENT_ADDRESSES addresses. */
export class NotificationRecipientsRequiredError extends DomainRuleError {
  override readonly name = 'NotificationRecipientsRequiredError';
  constructor(readonly notificationId: string, readonly max: number) {
    super('notification.recipients-required', `notification ${notificationId} needs 1 to ${max} recipient addresses`, { notificationId, max });
  }
}

/** Categories are kebab-case keys (`mandates`, `cases`); preferences are per category. */
export class NotificationCategoryInvalidError extends DomainRuleError {
  override readonly name = 'NotificationCategoryInvalidError';
  constructor(readonly notificationId: string) {
    super('notification.category-invalid', `notification ${notificationId}: the category is a kebab-case key of up to 50 characters`, { notificationId });
  }
}

/** Content is a known template, or a subject and body that are not blank and not too long. */
export class NotificationContentInvalidError extends DomainRuleError {
  override readonly name = 'NotificationContentInvalidError';
  constructor(readonly notificationId: string, readonly reason: string) {
    super('notification.content-invalid', `notification ${notificationId}: ${reason}`, { notificationId, reason });
  }
}

/** Deliveries are planned once the notification exists, for the people its addresses resolved to. */
export class RecipientNotAddressedError extends DomainRuleError {
  override readonly name = 'RecipientNotAddressedError';
  constructor(readonly notificationId: string, readonly address: string) {
    super('notification.recipient-not-addressed', `notification ${notificationId} is not addressed to ${address}`, { notificationId, address });
  }
}

/** No delivery of that id in the notification. */
export class DeliveryNotFoundError extends DomainRuleError {
  override readonly name = 'DeliveryNotFoundError';
  constructor(readonly notificationId: string, readonly deliveryId: string) {
    super('notification.delivery-not-found', `notification ${notificationId} has no delivery ${deliveryId}`, { notificationId, deliveryId });
  }
}

/** A delivery is attempted only once its send window (quiet hours, digest, back-off) has opened. */
export class DeliveryNotDueError extends DomainRuleError {
  override readonly name = 'DeliveryNotDueError';
  constructor(readonly deliveryId: string, readonly notBefore: string) {
    super('notification.delivery-not-due', `delivery ${deliveryId} may not be attempted before ${notBefore}`, { deliveryId, notBefore });
  }
}

/** A delivered delivery is never attempted again, except after an explicit replay. */
export class DeliveryAlreadyDeliveredError extends DomainRuleError {
  override readonly name = 'DeliveryAlreadyDeliveredError';
  constructor(readonly deliveryId: string) {
    super('notification.delivery-already-delivered', `delivery ${deliveryId} was delivered; replay it to send it again`, { deliveryId });
  }
}

/** Nothing happens to a delivery that was withdrawn, or to an in-app item (it is delivered when planned). */
export class DeliveryClosedError extends DomainRuleError {
  override readonly name = 'DeliveryClosedError';
  constructor(readonly deliveryId: string, readonly status: string, readonly action: string) {
    super('notification.delivery-closed', `delivery ${deliveryId} is ${status}: cannot ${action}`, { deliveryId, status, action });
  }
}

/** Replays are for dead letters, and for delivered webhooks (a receiver that lost what it got). */
export class DeliveryNotReplayableError extends DomainRuleError {
  override readonly name = 'DeliveryNotReplayableError';
  constructor(readonly deliveryId: string, readonly status: string, readonly channel: string) {
    super('notification.delivery-not-replayable', `delivery ${deliveryId} (${channel}, ${status}) cannot be replayed: only dead letters and delivered webhooks can`, {
      deliveryId,
      status,
      channel,
    });
  }
}

/** Read, unread and archive are for in-app items, by the person whose inbox they are in. */
export class InboxItemNotYoursError extends DomainRuleError {
  override readonly name = 'InboxItemNotYoursError';
  constructor(readonly deliveryId: string, readonly actorId: string) {
    super('notification.inbox-item-not-yours', `${actorId} has no inbox item ${deliveryId}`, { deliveryId });
  }
}
