import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { AuthorityProjection } from '@leadership/authority';
import { DIRECTORY_TOPIC, MANDATES_TOPIC, UnitChanged } from '@leadership/delegation-contracts';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { issueDevToken } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService, type RunningService } from '@leadership/platform-runtime';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { notificationsService } from './notifications.app';

/*
 * The service in-process on port 0 against the real local stack: an SQLite event store in a
 * temporary folder, the MongoDB wire server (FerretDB or MongoDB) and Kafka of the jest harness,
 * dev tokens. Command over HTTP → read model. (DeliveryRecorded on Kafka follows resolution, which
 * the dispatcher of the application layer drives; its e2e comes with it.)
 */
describe('notifications service on the real stack', () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'notifications-e2e-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const dbName = uniqueName('notifications').replace(/-/g, '_');
  let service: RunningService | undefined;
  let kafka: Kafka | undefined;

  const url = (): string => {
    if (!service) throw new Error('the service did not start');
    return service.url;
  };
  const bearer = async (personId: string) => ({ Authorization: `Bearer ${await issueDevToken({ sub: personId, keyFile })}` });

  beforeAll(async () => {
    const infra = testInfra();
    kafka = new Kafka({ clientId: 'e2e', brokers: [...infra.kafka.brokers], logLevel: logLevel.NOTHING });
    // The delegation topics the authority projection reads exist on a broker where no delegation service ran yet.
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
    ]);
    const config = serviceConfigFromEnv(
      'notifications',
      { defaultPort: 0, workspaceRoot: dir },
      {
        NOTIFICATIONS_PORT: '0',
        NOTIFICATIONS_EVENT_STORE: join(dir, 'events.sqlite'),
        MONGO_URI: infra.mongo.uri,
        NOTIFICATIONS_MONGO_DB: dbName,
        KAFKA_BROKERS: infra.kafka.brokers.join(','),
      },
    );
    service = await startService(notificationsService(config, { auth: { mode: 'dev', keyFile }, authorityGroup: uniqueName('notifications-authority') }));
  });

  afterAll(async () => {
    await service?.close();
    // After the service stopped (its projector writes until then): the test database goes too.
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('takes a notification over HTTP and shows it in the read model', async () => {
    const auth = await bearer('person-ana');
    const created = await request(url()).post('/notifications').set(auth).send({ to: 'person-ben', category: 'cases', template: { subject: 'First', body: 'Queue {{queueId}}' }, data: { queueId: 'general' } });
    expect(created.status).toBe(201);
    const id = String(created.body.notificationId);
    expect(created.headers['location']).toBe(`/notifications/${id}`);

    const read = await eventually(
      async () => {
        const response = await request(url()).get(`/notifications/${id}`).set(auth);
        return response.status === 200 ? response : undefined;
      },
      { what: 'the notification in the read model' },
    );
    expect(read.body).toEqual(expect.objectContaining({ notificationId: id, version: 0, status: 'requested', category: 'cases', requestedBy: 'person-ana' }));
  });

  it('answers problem+json: 401 without a token, 400 for unknown fields, 404 for an unknown id, 409 for a stale version', async () => {
    const auth = await bearer('person-ana');
    const anonymous = await request(url()).post('/notifications').send({ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(url()).post('/notifications').set(auth).send({ ...{ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } }, extra: 1 })).status).toBe(400);
    expect((await request(url()).post('/notifications').set(auth).send({ ...{ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } }, to: 'role:case-distribution' })).status).toBe(400);
    expect((await request(url()).post('/notifications/none/read').set(auth).set('If-Match', '"0"').send({ deliveryId: 'd-1' })).status).toBe(404);
    const created = await request(url()).post('/notifications').set(auth).send({ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } });
    const stale = await request(url()).post(`/notifications/${String(created.body.notificationId)}/read`).set(auth).set('If-Match', '"5"').send({ deliveryId: 'd-1' });
    expect(stale.status).toBe(409);
  });

  it('replays a retried request with the same Idempotency-Key instead of notifying twice', async () => {
    const auth = { ...(await bearer('person-bo')), 'Idempotency-Key': uniqueName('key') };
    const first = await request(url()).post('/notifications').set(auth).send({ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } });
    const retry = await request(url()).post('/notifications').set(auth).send({ to: 'person-ben', category: 'cases', template: { subject: 'x', body: 'y' } });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.notificationId).toBe(first.body.notificationId);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('answers may(...) locally from the delegation topics its authority projection consumes', async () => {
    if (!service || !kafka) throw new Error('the service did not start');
    const unitId = uniqueName('unit');
    const message = encodeCloudEvent(UnitChanged, {
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { unitId, version: 0, name: 'E2E unit', parentId: null, managerIds: ['person-manager'], removedManagerIds: [], occurredAt: new Date().toISOString() },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: message.topic, messages: [{ key: message.key, value: message.value, headers: { ...message.headers } }] });
    await producer.disconnect();

    const projection = service.app.get(AuthorityProjection);
    const question = { authority: 'notifications.close', unitId };
    // A new group reads the delegation topics from the beginning: allow for what other suites published.
    const decision = await eventually(() => {
      const answer = projection.may({ ...question, personId: 'person-manager' });
      return answer.allowed ? answer : undefined;
    }, { timeoutMs: 60_000, what: 'the unit in the authority projection' });
    expect(decision).toMatchObject({ allowed: true, basis: 'formal-manager' });
    expect(projection.may({ ...question, personId: 'person-ana' })).toMatchObject({ allowed: false });
  });

  it('reports event store, database, projector, relay and authority consumer on /health', async () => {
    const health = await eventually(async () => {
      const response = await request(url()).get('/health');
      return response.status === 200 ? response : undefined;
    }, { what: '/health 200' });
    expect(Object.keys(health.body.info ?? {})).toEqual(expect.arrayContaining(['event-store', 'mongodb', 'projector:notifications-notifications', 'relay', 'authority']));
  });
});
