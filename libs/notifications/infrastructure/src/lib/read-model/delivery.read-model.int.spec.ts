import mongoose, { type Connection } from 'mongoose';
import { handleCommand, type EventStore, type RecordedEvent } from '@leadership/event-store';
import { MessageRenderer, type PersonContact, type RoleDirectory } from '@leadership/notifications-application';
import { defaultPreferences, deliveryIdFor, notificationDecider, notificationStreamName, type NotificationCommand, type RecipientFacts } from '@leadership/notifications-domain';
import { isolatedMongoUri, openTestEventStore } from '@leadership/testing';
import { DeliveryReadModel, type InboxItem } from './delivery.read-model';

/*
 * The delivery log and inbox on the real MongoDB wire server, from events a real (SQLite) store
 * recorded: a page of events is written one document per delivery, whatever number of its events
 * touched it, and a page applied again changes nothing.
 */
const people: Record<string, PersonContact> = {
  ana: { personId: 'ana', email: 'ana@example.test', displayName: 'Ana Lind', locale: 'en-GB' },
  ben: { personId: 'ben', email: 'ben@example.test', displayName: 'Ben Berg', locale: 'sv-SE' },
};
const roles: RoleDirectory = { roleFacts: () => ({ taskType: '', unitId: '', mandates: [], absentPersonIds: [], formalManagerIds: [] }), unitName: async (id) => id, mandateScope: () => undefined };
const renderer = new MessageRenderer({ person: async (id) => people[id] }, roles, 'https://app.example');
const AT = '2026-03-02T08:00:00.000Z';
const LATER = '2026-03-02T08:00:01.000Z';
const recipient = (personId: string): RecipientFacts => ({ personId, address: personId, basis: 'direct', mandateId: null, mandateVersion: null, locale: people[personId]?.locale ?? 'en-GB', preferences: defaultPreferences('UTC') });

describe('DeliveryReadModel (MongoDB wire)', () => {
  const { uri } = isolatedMongoUri('deliveries');
  let connection: Connection;
  let store: EventStore;
  let readModel: DeliveryReadModel;
  const announced: InboxItem[] = [];

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
    store = openTestEventStore();
    readModel = new DeliveryReadModel(connection, store, renderer);
    await readModel.init();
    for (const person of Object.keys(people)) readModel.inboxItemsOf(person).subscribe((item) => announced.push(item));
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
    await store.close();
  });

  const run = (id: string, command: NotificationCommand) => handleCommand(store, notificationStreamName(id), notificationDecider, command);
  const eventsOf = async (id: string): Promise<RecordedEvent[]> => store.readStream(notificationStreamName(id));
  const notify = async (id: string): Promise<void> => {
    await run(id, {
      type: 'RequestNotification',
      data: { notificationId: id, actorId: 'system:crm', at: AT, source: { type: 'api', id }, workflow: 'api', eventType: 'api.cases', category: 'cases', critical: false, content: { subject: 'Queue {{queueId}} is full', body: 'Please help with {{queueId}}.' }, data: { queueId: 'general' }, to: ['ana', 'ben'], defaultChannels: { inApp: true, email: true } },
    });
    await run(id, { type: 'ResolveRecipients', data: { notificationId: id, actorId: 'system:dispatcher', at: AT, recipients: [recipient('ana'), recipient('ben')], webhookIds: [] } });
  };
  const sent = (id: string) =>
    run(id, {
      type: 'RecordDeliveryAttempts',
      data: {
        notificationId: id,
        actorId: 'system:dispatcher',
        at: LATER,
        attempts: [
          { deliveryId: deliveryIdFor(id, 'ana', 'email'), outcome: { kind: 'delivered', responseCode: 250 } },
          { deliveryId: deliveryIdFor(id, 'ben', 'email'), outcome: { kind: 'failed', retryable: true, responseCode: 451, error: 'try later' } },
        ],
      },
    });
  const doc = (deliveryId: string) => readModel.deliveries.findById(deliveryId).lean().exec();

  it('writes a delivery planned and attempted within one page once, as attempted; a page applied again changes nothing', async () => {
    await notify('n-1');
    await sent('n-1');
    const page = await eventsOf('n-1');
    expect(page.map((e) => e.type)).toEqual(['NotificationRequested', 'RecipientsResolved', 'DeliverySucceeded', 'DeliveryAttemptFailed']);
    expect(await readModel.applyBatch(page)).toEqual(['skipped', 'applied', 'applied', 'applied']);

    expect(await doc(deliveryIdFor('n-1', 'ana', 'email'))).toMatchObject({ revision: 2, status: 'delivered', attempts: 1, lastResponseCode: 250, deliveredAt: LATER, recipientId: 'ana', basis: 'direct' });
    expect(await doc(deliveryIdFor('n-1', 'ben', 'email'))).toMatchObject({ revision: 3, status: 'retrying', attempts: 1, lastResponseCode: 451, lastError: 'try later' });
    // Inbox items in each recipient's locale, announced once stored.
    expect(await doc(deliveryIdFor('n-1', 'ben', 'in-app'))).toMatchObject({ revision: 1, status: 'delivered', title: expect.stringContaining('general'), read: false });
    expect(announced.map((item) => item.id).sort()).toEqual([deliveryIdFor('n-1', 'ana', 'in-app'), deliveryIdFor('n-1', 'ben', 'in-app')].sort());

    expect(await readModel.applyBatch(page)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(announced).toHaveLength(2);
    expect(await readModel.deliveries.countDocuments({ notificationId: 'n-1' })).toBe(4);
  });

  it('updates documents an earlier page created, and applies one event as a page of one', async () => {
    await notify('n-2');
    const [requested, resolved] = await eventsOf('n-2');
    expect(await readModel.apply(requested as RecordedEvent)).toBe('skipped');
    expect(await readModel.apply(resolved as RecordedEvent)).toBe('applied');
    expect(await doc(deliveryIdFor('n-2', 'ana', 'email'))).toMatchObject({ revision: 1, status: 'scheduled' });

    await sent('n-2');
    await run('n-2', { type: 'MarkRead', data: { notificationId: 'n-2', actorId: 'ana', at: LATER, deliveryId: deliveryIdFor('n-2', 'ana', 'in-app') } });
    const later = (await eventsOf('n-2')).slice(2);
    expect(await readModel.applyBatch(later)).toEqual(['applied', 'applied', 'applied']);
    expect(await doc(deliveryIdFor('n-2', 'ana', 'email'))).toMatchObject({ revision: 2, status: 'delivered' });
    expect(await doc(deliveryIdFor('n-2', 'ana', 'in-app'))).toMatchObject({ revision: 4, read: true });
    // An older event delivered again (a restart from an older checkpoint) is stale.
    expect(await readModel.apply(resolved as RecordedEvent)).toBe('skipped');
    expect(await doc(deliveryIdFor('n-2', 'ana', 'email'))).toMatchObject({ revision: 2, status: 'delivered' });
  });
});
