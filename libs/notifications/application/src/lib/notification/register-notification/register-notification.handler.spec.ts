import { notificationStreamName, NotificationAlreadyExistsError } from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import { RegisterNotificationHandler } from './register-notification.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('RegisterNotificationHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new RegisterNotificationHandler(store, () => NOW);
  afterAll(() => store.close());

  it('appends NotificationRegistered with the metadata of the command context', async () => {
    const result = await handler.execute({ notificationId: 'a-1', title: 'First' }, { actorId: 'person-ana', correlationId: 'corr-1' });
    expect(result).toEqual({
      notificationId: 'a-1',
      version: 0,
      notification: { status: 'open', notificationId: 'a-1', title: 'First', registeredAt: NOW.toISOString(), registeredBy: 'person-ana', closedAt: null, closeReason: null },
      events: ['NotificationRegistered'],
    });
    const stored = await store.readStream(notificationStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['NotificationRegistered', 'person-ana', 'corr-1']]);
  });

  it('appends nothing when a request with the same idempotency key is retried', async () => {
    const context = { actorId: 'person-ana', idempotencyKey: 'key-1' };
    await handler.execute({ notificationId: 'a-2', title: 'Second' }, context);
    const retry = await handler.execute({ notificationId: 'a-2', title: 'Second' }, context);
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(notificationStreamName('a-2'))).toHaveLength(1);
  });

  it('refuses the id for another title and appends nothing', async () => {
    await handler.execute({ notificationId: 'a-3', title: 'Third' }, { actorId: 'person-ana' });
    await expect(handler.execute({ notificationId: 'a-3', title: 'Other' }, { actorId: 'person-ana' })).rejects.toThrow(NotificationAlreadyExistsError);
    expect(await store.readStream(notificationStreamName('a-3'))).toHaveLength(1);
  });
});
