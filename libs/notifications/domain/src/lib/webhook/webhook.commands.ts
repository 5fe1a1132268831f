/* Commands of the webhook subscription aggregate (stream `webhook-<id>`), by an administrator. */

interface WebhookCommandData {
  readonly webhookId: string;
  readonly actorId: string;
  readonly at: string;
}

/**
 * Creates or changes a subscription (`PUT /webhooks/{id}`). A new one needs a secret (the
 * application generates one when the body has none); a different secret on an existing one rotates it.
 */
export interface PutWebhook {
  readonly type: 'PutWebhook';
  readonly data: WebhookCommandData & {
    readonly url: string;
    /** Event types or patterns: `mandate.proposed`, `mandate.*`, `*`. */
    readonly eventTypes: readonly string[];
    /** `whsec_<base64>`; null keeps the current one. */
    readonly secret: string | null;
  };
}

/** A new signing secret; the old one still signs for `overlapHours` so receivers can switch without losing messages. */
export interface RotateWebhookSecret {
  readonly type: 'RotateWebhookSecret';
  readonly data: WebhookCommandData & { readonly secret: string; readonly overlapHours?: number };
}

export interface DisableWebhook {
  readonly type: 'DisableWebhook';
  readonly data: WebhookCommandData & { readonly reason: string };
}

export interface EnableWebhook {
  readonly type: 'EnableWebhook';
  readonly data: WebhookCommandData;
}

export type WebhookCommand = PutWebhook | RotateWebhookSecret | DisableWebhook | EnableWebhook;
