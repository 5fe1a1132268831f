import { handleCommand, WrongExpectedRevisionError } from '@leadership/event-store';
import { defaultPreferences, deliveryIdFor, notificationDecider, NotificationNotFoundError, notificationStreamName } from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetNotificationQuery } from '../get-notification/get-notification.query';
import { RequestNotificationHandler } from '../request-notification/request-notification.handler';
import { MarkReadHandler } from './mark-read.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const ben = { actorId: 'person-ben' };

describe('MarkReadHandler and GetNotificationQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const request = new RequestNotificationHandler(store, () => NOW, { people: { knows: async () => true }, roles: { assertFresh: () => undefined } });
  const markRead = new MarkReadHandler(store, () => NOW);
  const get = new GetNotificationQuery(store);
  afterAll(() => store.close());

  /** A notification to Ben with its inbox item (resolution is the dispatcher's; here the decider directly). */
  async function notifyBen(notificationId: string): Promise<string> {
    await request.execute({ notificationId, source: { type: 'api', id: notificationId }, to: ['person-ben'], category: 'cases', content: { subject: 'Hi', body: 'Hello' }, data: {}, critical: false }, { actorId: 'system:hr' });
    const recipients = [{ personId: 'person-ben', address: 'person-ben', basis: 'direct' as const, mandateId: null, mandateVersion: null, locale: 'sv-SE', preferences: defaultPreferences('Europe/Stockholm') }];
    await handleCommand(store, notificationStreamName(notificationId), notificationDecider, { type: 'ResolveRecipients', data: { notificationId, actorId: 'system:dispatcher', at: NOW.toISOString(), recipients, webhookIds: [] } });
    return deliveryIdFor(notificationId, 'person-ben', 'in-app');
  }

  it('marks the version the caller saw read, and the query reads it back', async () => {
    const deliveryId = await notifyBen('c-1');
    const result = await markRead.execute({ notificationId: 'c-1', deliveryId, expectedVersion: 1 }, ben);
    expect(result).toMatchObject({ version: 2, events: ['InboxItemRead'] });
    expect((await get.execute('c-1')).notification.deliveries.find((d) => d.deliveryId === deliveryId)).toMatchObject({ channel: 'in-app', read: true });
  });

  it('refuses a stale version with a conflict', async () => {
    const deliveryId = await notifyBen('c-2');
    await markRead.execute({ notificationId: 'c-2', deliveryId }, ben);
    await expect(markRead.execute({ notificationId: 'c-2', deliveryId, expectedVersion: 0 }, ben)).rejects.toThrow(WrongExpectedRevisionError);
  });

  it('answers not found for an unknown notification, with or without a version', async () => {
    await expect(markRead.execute({ notificationId: 'c-none', deliveryId: 'd', expectedVersion: 0 }, ben)).rejects.toThrow(NotificationNotFoundError);
    await expect(markRead.execute({ notificationId: 'c-none', deliveryId: 'd' }, ben)).rejects.toThrow(NotificationNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(NotificationNotFoundError);
  });
});
