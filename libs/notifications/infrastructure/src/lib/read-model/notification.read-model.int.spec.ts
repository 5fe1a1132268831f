import mongoose, { type Connection } from 'mongoose';
import type { RecordedEvent } from '@leadership/event-store';
import { notificationStreamName, type NotificationEvent } from '@leadership/notifications-domain';
import { isolatedMongoUri } from '@leadership/testing';
import { NotificationReadModel } from './notification.read-model';

let position = 0n;
function recorded(event: NotificationEvent, revision: number): RecordedEvent {
  position += 1n;
  return {
    streamName: notificationStreamName(event.data.notificationId),
    type: event.type,
    data: event.data,
    metadata: { eventId: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}` },
    revision,
    position,
    recordedAt: event.data.at,
  };
}

const registered = (id: string, at: string): NotificationEvent => ({
  type: 'NotificationRequested',
  data: {
    notificationId: id,
    actorId: 'person-ana',
    at,
    source: { type: 'api', id },
    workflow: 'api',
    eventType: 'api.cases',
    category: 'cases',
    critical: false,
    content: { subject: `Title of ${id}`, body: 'Body' },
    data: {},
    to: ['person-ben'],
    defaultChannels: { inApp: true, email: true },
  },
});
const closed = (id: string, at: string): NotificationEvent => ({ type: 'RecipientsResolved', data: { notificationId: id, actorId: 'person-bo', at, recipients: [], unresolved: ['person-ben'], deliveries: [] } });

/* Against the real MongoDB wire server of the harness (FerretDB locally), a database of its own. */
describe('NotificationReadModel', () => {
  let connection: Connection;
  let readModel: NotificationReadModel;

  beforeAll(async () => {
    const { uri, dbName } = isolatedMongoUri('notifications');
    connection = await mongoose.createConnection(uri, { dbName }).asPromise();
    readModel = new NotificationReadModel(connection);
    await readModel.init();
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('applies each event once: a redelivery and an older revision change nothing', async () => {
    const first = recorded(registered('r-1', '2026-03-02T09:00:00.000Z'), 0);
    const second = recorded(closed('r-1', '2026-03-03T17:30:00.000Z'), 1);
    expect(await readModel.apply(first)).toBe('applied');
    expect(await readModel.apply(second)).toBe('applied');
    expect(await readModel.apply(second)).toBe('skipped');
    expect(await readModel.apply(first)).toBe('skipped');
    expect(await readModel.find('r-1')).toEqual({
      notificationId: 'r-1',
      version: 1,
      category: 'cases',
      workflow: 'api',
      status: 'resolved',
      requestedAt: '2026-03-02T09:00:00.000Z',
      requestedBy: 'person-ana',
      resolvedAt: '2026-03-03T17:30:00.000Z',
    });
  });

  it('lists newest first by status, and finds nothing it has not seen', async () => {
    await readModel.apply(recorded(registered('r-2', '2026-03-04T09:00:00.000Z'), 0));
    await readModel.apply(recorded(registered('r-3', '2026-03-05T09:00:00.000Z'), 0));
    expect((await readModel.list({ status: 'requested', limit: 10 })).map((v) => v.notificationId)).toEqual(['r-3', 'r-2']);
    expect((await readModel.list({ limit: 1 })).map((v) => v.notificationId)).toEqual(['r-3']);
    expect(await readModel.find('r-none')).toBeUndefined();
  });

  it('is emptied by reset (before a rebuild)', async () => {
    await readModel.reset();
    expect(await readModel.list({ limit: 10 })).toEqual([]);
  });
});
