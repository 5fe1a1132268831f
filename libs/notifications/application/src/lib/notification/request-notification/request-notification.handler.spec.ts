import { notificationStreamName, NotificationAlreadyExistsError } from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import { RequestNotificationHandler, type RequestNotificationInput } from './request-notification.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

const input = (notificationId: string, subject = 'Queue full'): RequestNotificationInput => ({
  notificationId,
  source: { type: 'api', id: notificationId },
  to: ['role:case-distribution@unit:support'],
  category: 'cases',
  content: { subject, body: 'Queue {{queueId}} needs help.' },
  data: { queueId: 'general' },
  critical: false,
});

describe('RequestNotificationHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new RequestNotificationHandler(store, () => NOW);
  afterAll(() => store.close());

  it('appends NotificationRequested with the metadata of the command context', async () => {
    const result = await handler.execute(input('a-1'), { actorId: 'system:hr', correlationId: 'corr-1' });
    expect(result).toMatchObject({
      notificationId: 'a-1',
      version: 0,
      notification: { status: 'requested', workflow: 'api', eventType: 'api.cases', requestedAt: NOW.toISOString(), requestedBy: 'system:hr', deliveries: [] },
      events: ['NotificationRequested'],
    });
    const stored = await store.readStream(notificationStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['NotificationRequested', 'system:hr', 'corr-1']]);
  });

  it('appends nothing when a request with the same idempotency key is retried', async () => {
    const context = { actorId: 'system:hr', idempotencyKey: 'key-1' };
    await handler.execute(input('a-2'), context);
    const retry = await handler.execute(input('a-2'), context);
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(notificationStreamName('a-2'))).toHaveLength(1);
  });

  it('refuses the id for other content and appends nothing', async () => {
    await handler.execute(input('a-3'), { actorId: 'system:hr' });
    await expect(handler.execute(input('a-3', 'Other'), { actorId: 'system:hr' })).rejects.toThrow(NotificationAlreadyExistsError);
    expect(await store.readStream(notificationStreamName('a-3'))).toHaveLength(1);
  });
});
