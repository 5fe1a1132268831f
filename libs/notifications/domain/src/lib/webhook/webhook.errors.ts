import { DomainRuleError } from '@leadership/kernel';

/** A command other than PutWebhook for a subscription that does not exist. */
export class WebhookNotFoundError extends DomainRuleError {
  override readonly name = 'WebhookNotFoundError';
  constructor(readonly webhookId: string) {
    super('webhook.not-found', `webhook ${webhookId} does not exist`, { webhookId });
  }
}

/** Webhooks go to https URLs (http only on this machine, for development), without credentials in the URL. */
export class WebhookUrlInvalidError extends DomainRuleError {
  override readonly name = 'WebhookUrlInvalidError';
  constructor(readonly webhookId: string, readonly reason: string) {
    super('webhook.url-invalid', `webhook ${webhookId}: ${reason}`, { webhookId, reason });
  }
}

/** One to 50 event types, each a type (`mandate.proposed`), a prefix pattern (`mandate.*`) or `*`. */
export class WebhookEventTypesInvalidError extends DomainRuleError {
  override readonly name = 'WebhookEventTypesInvalidError';
  constructor(readonly webhookId: string) {
    super('webhook.event-types-invalid', `webhook ${webhookId}: eventTypes are 1 to 50 of "mandate.proposed", "mandate.*" or "*"`, { webhookId });
  }
}

/** Secrets are `whsec_` and the base64 of 24 to 64 random bytes (Standard Webhooks). */
export class WebhookSecretInvalidError extends DomainRuleError {
  override readonly name = 'WebhookSecretInvalidError';
  constructor(readonly webhookId: string, readonly reason: string) {
    // The message never repeats the secret.
    super('webhook.secret-invalid', `webhook ${webhookId}: ${reason}`, { webhookId });
  }
}

/** The overlap of a rotation is 0 to 168 hours (a week). */
export class WebhookOverlapInvalidError extends DomainRuleError {
  override readonly name = 'WebhookOverlapInvalidError';
  constructor(readonly webhookId: string) {
    super('webhook.overlap-invalid', `webhook ${webhookId}: overlapHours is 0 to 168`, { webhookId });
  }
}

/** Disabling needs a reason (the delivery log shows why nothing arrives). */
export class WebhookReasonRequiredError extends DomainRuleError {
  override readonly name = 'WebhookReasonRequiredError';
  constructor(readonly webhookId: string) {
    super('webhook.reason-required', `disabling webhook ${webhookId} needs a reason`, { webhookId });
  }
}
