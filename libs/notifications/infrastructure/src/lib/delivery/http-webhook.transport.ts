import type { WebhookRequest, WebhookTransport } from '@leadership/notifications-application';
import type { AttemptOutcome } from '@leadership/notifications-domain';
import { signWebhook } from './standard-webhook.signer';

/** Statuses another try may fix (Standard Webhooks senders retry these and 5xx). */
const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/**
 * Signs a delivery (Standard Webhooks, one signature per secret in force) and POSTs it with a
 * timeout. Never throws: 2xx is delivered; 5xx, 408/429 and network errors or timeouts are retryable;
 * other 4xx are final (the receiver refuses the request itself). Redirects are not followed: the
 * subscription's URL is the one the admin registered.
 */
export class HttpWebhookTransport implements WebhookTransport {
  constructor(private readonly timeoutMs = 10_000) {}

  async deliver(request: WebhookRequest): Promise<AttemptOutcome> {
    const headers = signWebhook({ id: request.id, timestamp: request.timestamp, body: request.body, secrets: request.secrets });
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'leadership-notifications/1', ...headers },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The body is not needed; drain it so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { kind: 'delivered', responseCode: response.status };
      const retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status);
      return { kind: 'failed', retryable, responseCode: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'failed', retryable: true, responseCode: null, error: name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `${name}: ${message}` };
    }
  }
}
