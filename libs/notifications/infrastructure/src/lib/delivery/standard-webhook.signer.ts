import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Standard Webhooks (https://www.standardwebhooks.com): every delivery carries `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature` = space-separated `v1,<base64
 * HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret in force. Secrets are
 * `whsec_<base64 of the key>`; during a rotation the old and the new secret both sign, so a
 * receiver that still has the old one keeps accepting deliveries until it switched.
 */

const SECRET_PREFIX = 'whsec_';

/** The key bytes of a `whsec_…` secret (the prefix is optional, as receivers' libraries accept both). */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  // 24 bytes minimum (the spec's recommendation is 24-64): a short key is a configuration error.
  if (key.length < 24 || key.length > 64 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw new RangeError('a webhook secret is whsec_ followed by the base64 of 24-64 random bytes');
  }
  return key;
}

/** The three headers of one delivery attempt, signed with every secret in force. */
export function signWebhook(input: { readonly id: string; readonly timestamp: number; readonly body: string; readonly secrets: readonly string[] }): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  if (input.secrets.length === 0) throw new RangeError('a webhook delivery needs at least one secret');
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(input.id)) throw new RangeError('a webhook id is 1-128 characters of A-Z a-z 0-9 _ . : -');
  const content = `${input.id}.${input.timestamp}.${input.body}`;
  const signatures = input.secrets.map((secret) => `v1,${createHmac('sha256', webhookKey(secret)).update(content).digest('base64')}`);
  return { 'webhook-id': input.id, 'webhook-timestamp': String(input.timestamp), 'webhook-signature': signatures.join(' ') };
}

/**
 * Receiver side, for tests and for receivers written with this library: true when one of the
 * signatures was made with `secret` and the timestamp is within `toleranceSeconds` of `now`
 * (replay protection, 5 minutes as the spec suggests).
 */
export function verifyWebhook(headers: Readonly<Record<string, string | undefined>>, body: string, secret: string, now: Date, toleranceSeconds = 300): boolean {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = headers['webhook-signature'];
  if (!id || !Number.isInteger(timestamp) || !signatures) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
