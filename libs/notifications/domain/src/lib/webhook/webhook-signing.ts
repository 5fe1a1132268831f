import { epochMs, isBefore } from '../shared/instant';
import type { ExistingWebhook } from './webhook.decider';

/*
 * Standard Webhooks (standardwebhooks.com): the domain decides with which secrets and under which
 * id and timestamp a delivery is signed; the infrastructure computes the HMAC-SHA256 and formats the
 * headers (pure code has no crypto module). Headers:
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

/** `webhook-id` and `webhook-timestamp` of one attempt; the infrastructure signs `<id>.<timestamp>.<body>` with each signing secret. */
export interface WebhookMessage {
  /** The delivery id: the same on every retry and replay of the delivery. */
  readonly id: string;
  /** Unix seconds of the attempt. */
  readonly timestamp: number;
}

export const webhookMessage = (deliveryId: string, attemptAt: string): WebhookMessage => ({ id: deliveryId, timestamp: Math.floor(epochMs(attemptAt) / 1_000) });
