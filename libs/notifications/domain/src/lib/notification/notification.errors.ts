import { DomainRuleError } from '@leadership/kernel';

/** A command other than RegisterNotification for a notification that was never registered. */
export class NotificationNotFoundError extends DomainRuleError {
  override readonly name = 'NotificationNotFoundError';
  constructor(readonly notificationId: string) {
    super('notification.not-found', `notification ${notificationId} does not exist`, { notificationId });
  }
}

/** RegisterNotification for an id already registered with another title. */
export class NotificationAlreadyExistsError extends DomainRuleError {
  override readonly name = 'NotificationAlreadyExistsError';
  constructor(readonly notificationId: string) {
    super('notification.already-exists', `notification ${notificationId} already exists with another title`, { notificationId });
  }
}

/** A notification needs a title that is not blank. */
export class NotificationTitleRequiredError extends DomainRuleError {
  override readonly name = 'NotificationTitleRequiredError';
  constructor(readonly notificationId: string) {
    super('notification.title-required', `notification ${notificationId} needs a title`, { notificationId });
  }
}

/** Closing needs a reason that is not blank (it is kept for the audit). */
export class NotificationCloseReasonRequiredError extends DomainRuleError {
  override readonly name = 'NotificationCloseReasonRequiredError';
  constructor(readonly notificationId: string) {
    super('notification.close-reason-required', `closing notification ${notificationId} needs a reason`, { notificationId });
  }
}
