import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhook, webhookKey } from './standard-webhook.signer';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'mandate.proposed', timestamp: '2026-03-02T09:00:00.000Z', data: { mandateId: 'm-1' } });
  const now = new Date('2026-03-02T09:00:00.000Z');
  const timestamp = Math.floor(now.getTime() / 1000);

  it('is accepted by the reference verifier (the standardwebhooks package), and by ours', () => {
    const secret = newSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp, body, secrets: [secret] });
    // The reference implementation checks the timestamp against its own clock: sign with "now".
    const live = signWebhook({ id: 'msg_1', timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, live)).toEqual(JSON.parse(body));
    expect(verifyWebhook(headers, body, secret, now)).toBe(true);
  });

  it('signs with every secret in force during a rotation, so old and new receivers both accept', () => {
    const [old, rotated] = [newSecret(), newSecret()];
    const headers = signWebhook({ id: 'msg_2', timestamp: Math.floor(Date.now() / 1000), body, secrets: [rotated, old] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(rotated).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
  });

  it('refuses a changed body, a wrong secret and a stale timestamp', () => {
    const secret = newSecret();
    const headers = signWebhook({ id: 'msg_3', timestamp, body, secrets: [secret] });
    expect(verifyWebhook(headers, `${body} `, secret, now)).toBe(false);
    expect(verifyWebhook(headers, body, newSecret(), now)).toBe(false);
    expect(verifyWebhook(headers, body, secret, new Date(now.getTime() + 301_000))).toBe(false);
  });

  it('refuses secrets that are not whsec_ + base64 of 24-64 bytes', () => {
    expect(() => webhookKey('whsec_short')).toThrow(RangeError);
    expect(() => webhookKey(`whsec_${randomBytes(100).toString('base64')}`)).toThrow(RangeError);
    expect(webhookKey(newSecret())).toHaveLength(32);
  });
});
