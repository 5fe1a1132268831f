import { deliveriesResponseSchema, webhookDeliveryLogEntrySchema } from '@leadership/notifications-contracts';
import type { DeliveryDocument, DeliveryReadModel } from '../read-model/delivery.read-model';
import { DeliveriesController } from './deliveries.controller';
import { deliveryAttemptsOf } from './delivery-attempts.presenter';

const base: DeliveryDocument = {
  _id: 'd-email',
  revision: 3,
  notificationId: 'n-1',
  recipientId: 'ben',
  channel: 'email',
  address: 'role:case-distribution@unit:support',
  basis: 'mandate',
  mandateId: 'm-1',
  mandateVersion: 2,
  status: 'retrying',
  attempts: 2,
  lastAttemptAt: '2026-03-02T10:01:00.000Z',
  lastResponseCode: 421,
  lastError: '421 4.3.2 Service not available, closing transmission channel',
  notBefore: '2026-03-02T10:03:00.000Z',
  createdAt: '2026-03-02T10:00:00.000Z',
  deliveredAt: null,
  category: 'cases',
  workflow: 'api',
  source: { type: 'api', id: 'crm-1' },
  title: null,
  body: null,
  read: false,
  archived: false,
};

/* `GET /deliveries` as compliance and operators read it: why a delivery retries or was dead-lettered, when it is tried next — in the documented contract. */
describe('DeliveriesController', () => {
  const docs: DeliveryDocument[] = [
    base,
    { ...base, _id: 'd-dead', status: 'dead-lettered', attempts: 1, lastResponseCode: null, lastError: 'the directory has no e-mail address for the recipient' },
    { ...base, _id: 'd-quiet', status: 'scheduled', attempts: 0, lastAttemptAt: null, lastResponseCode: null, lastError: null, notBefore: '2026-03-03T06:00:00.000Z' },
    { ...base, _id: 'd-sent', status: 'delivered', attempts: 3, lastResponseCode: 250, lastError: null, deliveredAt: '2026-03-02T10:03:00.500Z' },
    { ...base, _id: 'd-inbox', channel: 'in-app', status: 'delivered', attempts: 0, lastAttemptAt: null, lastResponseCode: null, lastError: null, notBefore: base.createdAt, deliveredAt: base.createdAt },
    { ...base, _id: 'd-digest', status: 'digest', attempts: 0, lastAttemptAt: null, lastResponseCode: null, lastError: null },
    { ...base, _id: 'd-gone', status: 'withdrawn' },
  ];
  const asked: unknown[] = [];
  const readModel = { log: async (query: unknown) => (asked.push(query), docs) } as unknown as DeliveryReadModel;

  it('answers each delivery with its attempts: lastError, nextAttemptAt only while an e-mail or webhook waits to be sent', async () => {
    const answer = await new DeliveriesController(readModel).log({ recipientId: 'ben', from: '2026-03-02T00:00:00+01:00', limit: 50 });
    expect(deliveriesResponseSchema.parse(answer)).toEqual(answer);
    expect(asked).toEqual([{ recipientId: 'ben', from: '2026-03-01T23:00:00.000Z', limit: 50 }]);
    const byId = Object.fromEntries(answer.items.map((item) => [item.deliveryId, item]));
    expect(byId['d-email']).toMatchObject({
      status: 'retrying',
      attempts: 2,
      lastAttemptAt: '2026-03-02T10:01:00.000Z',
      lastResponseCode: 421,
      lastError: '421 4.3.2 Service not available, closing transmission channel',
      nextAttemptAt: '2026-03-02T10:03:00.000Z',
      basis: 'mandate',
      mandateId: 'm-1',
      mandateVersion: 2,
    });
    expect(byId['d-dead']).toMatchObject({ status: 'dead-lettered', lastError: 'the directory has no e-mail address for the recipient', nextAttemptAt: null });
    expect(byId['d-quiet']).toMatchObject({ status: 'scheduled', attempts: 0, lastError: null, nextAttemptAt: '2026-03-03T06:00:00.000Z' });
    for (const id of ['d-sent', 'd-inbox', 'd-digest', 'd-gone']) expect(byId[id]).toMatchObject({ nextAttemptAt: null });
    expect(byId['d-sent']).toMatchObject({ lastError: null, lastResponseCode: 250, deliveredAt: '2026-03-02T10:03:00.500Z' });
  });

  it('gives a webhook subscription log the same attempts', () => {
    const webhook = { ...base, _id: 'w-1', channel: 'webhook' as const, lastResponseCode: 500, lastError: 'HTTP 500' };
    const entry = { deliveryId: webhook._id, notificationId: webhook.notificationId, channel: webhook.channel, status: 'retrying', ...deliveryAttemptsOf(webhook) };
    expect(webhookDeliveryLogEntrySchema.parse(entry)).toMatchObject({ lastError: 'HTTP 500', nextAttemptAt: '2026-03-02T10:03:00.000Z' });
  });
});
