import { epochMs, isBefore } from '../shared/instant';
import type { ExistingWebhook } from './webhook.decider';

/*
 * Standard Webhooks (standardwebhooks.com): the domain decides what is signed and with which
 * secrets; the infrastructure computes the HMAC-SHA256 (pure code has no crypto module). Headers:
 * `webhook-id` (the delivery id: the same on every retry and replay, so receivers can de-duplicate),
 * `webhook-timestamp` (seconds, the attempt's time, so receivers can refuse old replays) and
 * `webhook-signature`, space-separated `v1,<base64>` entries: one per secret valid at the attempt,
 * which is how a rotation overlaps without breaking receivers that still have the old secret.
 */

/** True when the subscription is enabled and one of its patterns covers `eventType` (`*`, `mandate.*`, or the type). */
export function matches(subscription: ExistingWebhook, eventType: string): boolean {
  if (subscription.status !== 'enabled') return false;
  return subscription.eventTypes.some((pattern) => pattern === '*' || pattern === eventType || (pattern.endsWith('.*') && eventType.startsWith(pattern.slice(0, -1))));
}

/** The secrets to sign with at `at`: the current one first, then rotated-out ones still inside their overlap. */
export function signingSecrets(subscription: ExistingWebhook, at: string): readonly string[] {
  return subscription.secrets.filter((s) => s.validUntil === null || isBefore(at, s.validUntil)).map((s) => s.secret);
}

/** The base64 key of a `whsec_` secret, as the HMAC takes it (after base64-decoding). */
export const secretKeyBase64 = (secret: string): string => secret.replace(/^whsec_/, '');

/** `webhook-id` and `webhook-timestamp` of an attempt of a delivery. */
export interface WebhookMessageHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
}

export const webhookMessageHeaders = (deliveryId: string, attemptAt: string): WebhookMessageHeaders => ({
  'webhook-id': deliveryId,
  'webhook-timestamp': String(Math.floor(epochMs(attemptAt) / 1_000)),
});

/** The exact text that is signed: `<webhook-id>.<webhook-timestamp>.<body>`. */
export const signedContent = (headers: WebhookMessageHeaders, body: string): string => `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;

/** The `webhook-signature` header from the base64 signatures (one per secret, in the order of signingSecrets). */
export const signatureHeader = (signatures: readonly string[]): string => signatures.map((s) => `v1,${s}`).join(' ');
