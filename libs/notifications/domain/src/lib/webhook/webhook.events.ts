/*
 * Events of the webhook subscription stream. Secrets are kept in the service's own event store
 * (it must sign with them); they are never published or logged.
 */

interface WebhookEventData {
  readonly webhookId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface WebhookCreated {
  readonly type: 'WebhookCreated';
  readonly data: WebhookEventData & { readonly url: string; readonly eventTypes: readonly string[]; readonly secret: string };
}

export interface WebhookUpdated {
  readonly type: 'WebhookUpdated';
  readonly data: WebhookEventData & { readonly url: string; readonly eventTypes: readonly string[] };
}

export interface WebhookSecretRotated {
  readonly type: 'WebhookSecretRotated';
  readonly data: WebhookEventData & { readonly secret: string; readonly previousValidUntil: string };
}

export interface WebhookDisabled {
  readonly type: 'WebhookDisabled';
  readonly data: WebhookEventData & { readonly reason: string };
}

export interface WebhookEnabled {
  readonly type: 'WebhookEnabled';
  readonly data: WebhookEventData;
}

/** The one event union of the webhook subscription aggregate. */
export type WebhookEvent = WebhookCreated | WebhookUpdated | WebhookSecretRotated | WebhookDisabled | WebhookEnabled;
