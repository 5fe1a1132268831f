import { WrongExpectedRevisionError } from '@leadership/event-store';
import { NotificationNotFoundError } from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetNotificationQuery } from '../get-notification/get-notification.query';
import { RegisterNotificationHandler } from '../register-notification/register-notification.handler';
import { CloseNotificationHandler } from './close-notification.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const actor = { actorId: 'person-ana' };

describe('CloseNotificationHandler and GetNotificationQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const register = new RegisterNotificationHandler(store, () => NOW);
  const close = new CloseNotificationHandler(store, () => NOW);
  const get = new GetNotificationQuery(store);
  afterAll(() => store.close());

  it('closes the version the caller saw, and the query reads it back', async () => {
    await register.execute({ notificationId: 'c-1', title: 'To close' }, actor);
    const result = await close.execute({ notificationId: 'c-1', reason: 'done', expectedVersion: 0 }, actor);
    expect(result).toMatchObject({ version: 1, events: ['NotificationClosed'], notification: { status: 'closed', closeReason: 'done' } });
    expect(await get.execute('c-1')).toMatchObject({ version: 1, notification: { status: 'closed', closedAt: NOW.toISOString() } });
  });

  it('refuses a stale version with a conflict', async () => {
    await register.execute({ notificationId: 'c-2', title: 'Stale' }, actor);
    await close.execute({ notificationId: 'c-2', reason: 'first' }, actor);
    await expect(close.execute({ notificationId: 'c-2', reason: 'second', expectedVersion: 0 }, actor)).rejects.toThrow(WrongExpectedRevisionError);
  });

  it('answers not found for an unknown notification, with or without a version', async () => {
    await expect(close.execute({ notificationId: 'c-none', reason: 'x', expectedVersion: 0 }, actor)).rejects.toThrow(NotificationNotFoundError);
    await expect(close.execute({ notificationId: 'c-none', reason: 'x' }, actor)).rejects.toThrow(NotificationNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(NotificationNotFoundError);
  });
});
