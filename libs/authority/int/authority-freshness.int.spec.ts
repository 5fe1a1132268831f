import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import {
  AuthorityConsumer,
  AuthorityEventsController,
  AuthorityGuard,
  AuthorityProjection,
  AuthorityStaleError,
  AuthorityStamp,
  authorityHealthCheck,
  MongoAuthorityStore,
  RequireAuthority,
  type AuthorityStore,
  type MandateStamp,
  type ProjectedUnit,
} from '@leadership/authority';
import {
  DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
  DelegationRelayProgress,
  DIRECTORY_TOPIC,
  MANDATES_TOPIC,
  MandateChanged,
  UnitChanged,
  type MandateSnapshot,
  type VersionedMandate,
} from '@leadership/delegation-contracts';
import { encodeCloudEvent, ensureTopics, silentMessagingLogger, type OutgoingKafkaMessage } from '@leadership/messaging-kafka';
import { createHttpService, issueDevToken, PlatformModule } from '@leadership/platform-nest';
import { eventually, isolatedMongoUri, startRelayProgressStandIn, testInfra, uniqueName, type RelayProgressStandIn } from '@leadership/testing';

/*
 * The freshness rule on the real local Kafka and MongoDB wire: a service's authority projection
 * answers a grant only while it is caught up with the delegation topics (within the 1 s bound).
 *
 * The consumer is composed as a service's composition root does (its `server` as a Nest
 * microservice, the handlers and the guard in the app), over a store that the test can make hang:
 * a consumer stuck on its store (or otherwise not applying) while a revocation is published. The
 * delegation topics are shared with other suites, so every id is unique to this run and the
 * assertions allow for whatever else the consumer reads meanwhile. No speed is asserted: only
 * what is answered while stale, and after catching up. The test publishes the delegation events
 * itself (awaiting each acknowledgement), so a stand-in reports the relay's progress as of each
 * moment; relay-progress.int.spec.ts runs the real relay against a store on a broker of its own.
 */
const keyFile = join(mkdtempSync(join(tmpdir(), 'authority-freshness-')), 'dev-issuer.json');
const p = uniqueName('fresh');
const unitId = `${p}-unit`;
const delegateId = `${p}-delegate`;
const managerId = `${p}-manager`;
const mandateId = randomUUID();

/** A store whose writes can be held (a consumer stuck on a hanging database write). */
class HoldableStore implements AuthorityStore {
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;
  constructor(private readonly inner: AuthorityStore) {}
  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }
  letGo(): void {
    this.release?.();
    this.held = undefined;
  }
  async saveMandate(entry: VersionedMandate) {
    await this.held;
    return this.inner.saveMandate(entry);
  }
  async saveUnit(entry: ProjectedUnit) {
    await this.held;
    return this.inner.saveUnit(entry);
  }
  findMandate(id: string) {
    return this.inner.findMandate(id);
  }
  findUnit(id: string) {
    return this.inner.findUnit(id);
  }
  readChanges(since?: Date) {
    return this.inner.readChanges(since);
  }
}

@Controller('units/:unitId/assignments')
class AssignmentsController {
  @Post()
  @RequireAuthority('cases.assign', { unitFrom: 'params.unitId', queueFrom: 'body.queueId' })
  assign(@Param('unitId') _unitId: string, @Body() _body: unknown, @AuthorityStamp() stamp: MandateStamp) {
    return { stamp };
  }
}

function mandate(version: number, change: 'activated' | 'revoked'): OutgoingKafkaMessage {
  const now = Date.now();
  const snapshot: MandateSnapshot = {
    ...MandateChanged.examples[0]!.mandate,
    mandateId,
    delegatorId: managerId,
    delegateId,
    scope: { unitId, queueId: 'queue-1' },
    authorities: ['cases.assign'],
    period: { from: new Date(now - 86_400_000).toISOString(), until: new Date(now + 30 * 86_400_000).toISOString() },
    activatedAt: new Date(now - 86_400_000).toISOString(),
    framework: { ...MandateChanged.examples[0]!.mandate.framework, escalationContactId: managerId },
    ...(change === 'revoked' ? { status: 'ended', endedAt: new Date(now).toISOString(), endReason: 'revoked' } : {}),
  };
  return encodeCloudEvent(MandateChanged, {
    id: randomUUID(),
    time: new Date(now).toISOString(),
    data: { mandateId, version, change, actorId: managerId, occurredAt: new Date(now).toISOString(), mandate: snapshot },
  });
}

describe('authority freshness: no stale grant (real Kafka, MongoDB wire)', () => {
  const location = isolatedMongoUri('authority_freshness');
  let client: MongoClient;
  let kafka: Kafka;
  let store: HoldableStore;
  let consumer: AuthorityConsumer;
  let app: INestApplication;
  let delegateToken: string;
  let relayProgress: RelayProgressStandIn;

  const publish = async (message: OutgoingKafkaMessage) => {
    const producer = kafka.producer();
    await producer.connect();
    await producer
      .send({ topic: message.topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: { ...message.headers } }] })
      .finally(() => producer.disconnect());
  };
  const assign = () => request(app.getHttpServer()).post(`/units/${unitId}/assignments`).set('Authorization', `Bearer ${delegateToken}`).send({ queueId: 'queue-1' });
  const question = { personId: delegateId, authority: 'cases.assign', unitId, queueId: 'queue-1' };

  beforeAll(async () => {
    kafka = new Kafka({ clientId: uniqueName('freshness'), brokers: [...testInfra().kafka.brokers], logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
      DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
    ]);
    relayProgress = await startRelayProgressStandIn(kafka, (now) =>
      encodeCloudEvent(DelegationRelayProgress, { id: randomUUID(), time: now.toISOString(), data: { coveredUntil: now.toISOString(), position: null, relay: 'delegation' } }),
    );
    client = await MongoClient.connect(location.uri);
    store = new HoldableStore(await MongoAuthorityStore.open(client.db(location.dbName)));
    consumer = new AuthorityConsumer({
      kafka,
      group: uniqueName('freshness.authority'),
      projection: new AuthorityProjection(store),
      freshnessBoundMs: 1000,
      refreshIntervalMs: 0,
      waitForJoinMs: 30_000,
      metrics: false,
      logger: silentMessagingLogger,
    });
    const authority = consumer;

    @Module({
      imports: [
        PlatformModule.forRoot({
          serviceName: 'freshness-test',
          auth: { mode: 'dev', keyFile },
          healthChecks: { useFactory: () => [authorityHealthCheck(authority)] },
        }),
      ],
      controllers: [AssignmentsController, AuthorityEventsController],
      providers: [{ provide: AuthorityConsumer, useValue: authority }, { provide: AuthorityProjection, useValue: authority.projection }, AuthorityGuard],
    })
    class FreshnessTestModule {}

    delegateToken = await issueDevToken({ sub: delegateId, keyFile });
    app = await createHttpService(FreshnessTestModule, { serviceName: 'freshness-test', title: 't', description: 'd', version: '1' });
    app.connectMicroservice({ strategy: consumer.server });
    await consumer.projection.load();
    consumer.startRefresh();
    await app.init();
    await app.startAllMicroservices();

    await publish(encodeCloudEvent(UnitChanged, {
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { unitId, version: 0, name: 'Freshness', parentId: null, managerIds: [managerId], removedManagerIds: [], occurredAt: new Date().toISOString() },
    }));
    await publish(mandate(1, 'activated'));
    // A new group reads both topics from the beginning: allow for what other suites published
    // (in a full `npm test` that is every suite's mandates, applied through MongoDB one by one).
    await consumer.waitForVersion(mandateId, 1, 240_000);
  }, 300_000);

  afterAll(async () => {
    store?.letGo();
    await consumer?.stopRefresh();
    await relayProgress?.stop();
    await app?.close();
    await client?.db(location.dbName).dropDatabase().catch(() => undefined);
    await client?.close();
  });

  it('stays fresh while nothing arrives, and grants through the guard', async () => {
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'the projection caught up', timeoutMs: 30_000 });
    // Idle for several bounds: a projection measured by its messages would have gone stale by now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh after idling', timeoutMs: 5000 });

    expect(consumer.projection.mayFresh(question)).toMatchObject({ allowed: true, basis: 'mandate', mandateId, mandateVersion: 1 });
    const res = await eventually(async () => {
      const r = await assign();
      return r.status === 201 ? r : undefined;
    }, { what: 'a grant through the guard', timeoutMs: 10_000 });
    expect(res.body.stamp).toMatchObject({ actorId: delegateId, basis: 'mandate', mandateId, mandateVersion: 1 });
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.authority).toMatchObject({ status: 'up', freshness: { fresh: true, boundMs: 1000, reason: null } });
  });

  it('refuses the revoked mandate with 503 while the consumer cannot apply the revocation, and denies it once applied', async () => {
    store.hold();
    await publish(mandate(2, 'revoked'));

    // The projection still holds version 1 (it would grant), but it knows it is behind.
    const refused = await eventually(async () => {
      const r = await assign();
      return r.status === 503 ? r : undefined;
    }, { what: 'the guard refusing the stale grant', timeoutMs: 20_000 });
    expect(consumer.projection.mandateVersion(mandateId)).toBe(1);
    expect(consumer.projection.may(question)).toMatchObject({ allowed: true, mandateVersion: 1 });
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/behind the delegation event store, more than the 1000 ms .*not applied yet/);
    expect(() => consumer.projection.mayFresh(question)).toThrow(AuthorityStaleError);
    // A denial is still answered from the stale state.
    expect(consumer.projection.mayFresh({ ...question, personId: `${p}-stranger` })).toMatchObject({ allowed: false });
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.error.authority.message).toMatch(/authority projection is \d+ ms behind the delegation event store \(bound 1000 ms.*not applied yet; grants are refused/);

    store.letGo();
    await consumer.waitForVersion(mandateId, 2, 30_000);
    expect(consumer.projection.mayFresh(question)).toMatchObject({ allowed: false, mandateVersion: 2, reason: expect.stringMatching(/revoked/) });
    const denied = await eventually(async () => {
      const r = await assign();
      return r.status === 403 ? r : undefined;
    }, { what: 'the guard denying the revoked mandate', timeoutMs: 20_000 });
    expect(denied.body).toMatchObject({ mandateId, mandateVersion: 2 });
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh again', timeoutMs: 30_000 });
  });

  it('grants nothing once the consumer is stopped, and /health says so', async () => {
    await consumer.server.close();
    expect(consumer.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
    expect(() => consumer.assertFresh()).toThrow(/consumer is stopped/);
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.error.authority.message).toMatch(/consumer .* stopped/);
  });
});
