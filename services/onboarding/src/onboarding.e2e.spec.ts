import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { AuthorityProjection } from '@leadership/authority';
import { DIRECTORY_TOPIC, MANDATES_TOPIC, UnitChanged } from '@leadership/delegation-contracts';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { PlanChanged } from '@leadership/onboarding-contracts';
import { issueDevToken } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService, type RunningService } from '@leadership/platform-runtime';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { onboardingService } from './onboarding.app';

interface Published {
  readonly key: string;
  readonly type: string;
  readonly data: { readonly status?: string; readonly version?: number };
}

/*
 * The service in-process on port 0 against the real local stack: an SQLite event store in a
 * temporary folder, the MongoDB wire server (FerretDB or MongoDB) and Kafka of the jest harness,
 * dev tokens. Command over HTTP → read model → integration event on Kafka.
 */
describe('onboarding service on the real stack', () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-e2e-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const published: Published[] = [];
  const dbName = uniqueName('onboarding').replace(/-/g, '_');
  let service: RunningService | undefined;
  let consumer: Consumer | undefined;
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
      'onboarding',
      { defaultPort: 0, workspaceRoot: dir },
      {
        ONBOARDING_PORT: '0',
        ONBOARDING_EVENT_STORE: join(dir, 'events.sqlite'),
        MONGO_URI: infra.mongo.uri,
        ONBOARDING_MONGO_DB: dbName,
        KAFKA_BROKERS: infra.kafka.brokers.join(','),
      },
    );
    service = await startService(onboardingService(config, { auth: { mode: 'dev', keyFile }, authorityGroup: uniqueName('onboarding-authority') }));
    consumer = kafka.consumer({ groupId: uniqueName('onboarding-e2e') });
    await consumer.connect();
    await consumer.subscribe({ topic: PlanChanged.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        published.push({ key: message.key?.toString() ?? '', type: message.headers?.['ce_type']?.toString() ?? '', data: JSON.parse(message.value?.toString() ?? '{}') as Published['data'] });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.close();
    // After the service stopped (its projector writes until then): the test database goes too.
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('takes a command over HTTP, shows it in the read model and publishes PlanChanged on Kafka', async () => {
    const auth = await bearer('person-ana');
    const newcomerId = uniqueName('newcomer');
    const created = await request(url()).post('/plans').set(auth).send({ newcomerId, unitId: 'unit-support' });
    expect(created.status).toBe(201);
    expect(created.body.newcomerId).toBe(newcomerId);
    expect(created.headers['location']).toBe(`/plans/${newcomerId}`);

    const read = await eventually(
      async () => {
        const response = await request(url()).get(`/plans/${newcomerId}`).set(auth);
        return response.status === 200 ? response : undefined;
      },
      { what: 'the plan in the read model' },
    );
    expect(read.body).toEqual(expect.objectContaining({ newcomerId, version: 0, status: 'draft', unitId: 'unit-support' }));

    const messages = await eventually(() => {
      const mine = published.filter((m) => m.key === newcomerId);
      return mine.length >= 1 ? mine : undefined;
    }, { timeoutMs: 30_000, what: 'PlanChanged on Kafka' });
    expect(messages.map((m) => [m.type, m.data.version, m.data.status])).toEqual([[PlanChanged.type, 0, 'draft']]);
  });

  it('answers problem+json: 401 without a token, 400 for unknown fields, 404 for an unknown id', async () => {
    const auth = await bearer('person-ana');
    const anonymous = await request(url()).post('/plans').send({ newcomerId: 'x', unitId: 'y' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(url()).post('/plans').set(auth).send({ newcomerId: 'x', unitId: 'y', extra: 1 })).status).toBe(400);
    expect((await request(url()).get('/plans/none').set(auth)).status).toBe(404);
  });

  it('replays a retried draft with the same Idempotency-Key instead of drafting twice', async () => {
    const auth = { ...(await bearer('person-bo')), 'Idempotency-Key': uniqueName('key') };
    const body = { newcomerId: uniqueName('newcomer'), unitId: 'unit-support' };
    const first = await request(url()).post('/plans').set(auth).send(body);
    const retry = await request(url()).post('/plans').set(auth).send(body);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.newcomerId).toBe(first.body.newcomerId);
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
    const question = { authority: 'plans.close', unitId };
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
    expect(Object.keys(health.body.info ?? {})).toEqual(expect.arrayContaining(['event-store', 'mongodb', 'projector:onboarding-plans', 'relay', 'authority']));
  });
});
