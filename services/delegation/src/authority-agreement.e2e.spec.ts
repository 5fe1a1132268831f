import { Body, Controller, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import {
  AuthorityConsumer,
  AuthorityModule,
  AuthorityProjection,
  AuthorityStamp,
  authorityHealthCheck,
  MongoAuthorityStore,
  connectAuthorityConsumer,
  RequireAuthority,
  type AuthorityModuleOptions,
  type MandateStamp,
} from '@leadership/authority';
import { MANDATES_TOPIC, MandateChanged, type AuthorityDecision } from '@leadership/delegation-contracts';
import { deadLetterTopicName } from '@leadership/messaging-contracts';
import { encodeCloudEvent } from '@leadership/messaging-kafka';
import { startDelegationService, type DelegationRuntime } from './delegation.app';
import type { DelegationConfig } from './delegation.config';
import { createHttpService, issueDevToken, PlatformModule } from '@leadership/platform-nest';
import { eventually, isolatedMongoUri, testInfra, uniqueName } from '@leadership/testing';

/*
 * The proof that a service's own authority projection agrees with the delegation service.
 *
 * A real delegation service (SQLite event store file, its own MongoDB database, relay ON to the
 * shared local Kafka) and, separately, a small "case service" with AuthorityModule: its own
 * MongoDB database and consumer group, fed only by Kafka. For many questions the local `may`
 * must give the answer of GET /authority/check; after a revocation (and a suspension and
 * resumption) it must agree again as soon as the consumer holds the new version.
 *
 * The delegation topics are shared with other runs and suites: every id here is unique to this
 * run, and the consumer group starts from the beginning (it also projects the others' mandates,
 * which cannot touch these ids).
 */
const dir = mkdtempSync(join(tmpdir(), 'authority-agreement-'));
const keyFile = join(dir, 'dev-issuer.json');
const p = uniqueName('agr');
const ids = {
  root: `${p}-root`,
  unitA: `${p}-unit-a`,
  unitB: `${p}-unit-b`,
  unknownUnit: `${p}-unit-x`,
  anna: `${p}-anna`,
  bob: `${p}-bob`,
  carl: `${p}-carl`,
  managerA: `${p}-manager-a`,
  managerB: `${p}-manager-b`,
  boss: `${p}-boss`,
  stranger: `${p}-stranger`,
  queue1: 'queue-1',
  queue2: 'queue-2',
  queue3: 'queue-3',
};

@Controller('units/:unitId/assignments')
class AssignmentsController {
  @Post()
  @RequireAuthority('cases.assign', { unitFrom: 'params.unitId', queueFrom: 'body.queueId' })
  assign(@Param('unitId') _unitId: string, @Body() _body: unknown, @AuthorityStamp() stamp: MandateStamp) {
    return { stamp };
  }
}

/**
 * A stand-in for another service: platform conventions (with the authority check in /health), the
 * authority module, one guarded route; the authority consumer attached as a Nest microservice.
 */
async function startCaseService(authority: AuthorityModuleOptions): Promise<INestApplication> {
  @Module({
    imports: [
      PlatformModule.forRoot({
        serviceName: 'case-service',
        auth: { mode: 'dev', keyFile },
        healthChecks: { inject: [AuthorityConsumer], useFactory: (consumer: AuthorityConsumer) => [authorityHealthCheck(consumer)] },
      }),
      AuthorityModule.forRoot(authority),
    ],
    controllers: [AssignmentsController],
  })
  class CaseServiceModule {}
  const app = await createHttpService(CaseServiceModule, { serviceName: 'case-service', title: 't', description: 'd', version: '1' });
  connectAuthorityConsumer(app);
  await app.init();
  await app.startAllMicroservices();
  return app;
}

/** The headers (as text) of the first record on the topic that matches, read from the beginning; undefined if none yet. */
async function findOnTopic(kafka: Kafka, topic: string, matches: (headers: Record<string, string>) => boolean): Promise<{ headers: Record<string, string> } | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).catch(() => []).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  if (remaining.size === 0) return undefined;
  const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  let found: { headers: Record<string, string> } | undefined;
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (!found && matches(headers)) found = { headers };
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
      },
    });
    await eventually(() => (found || remaining.size === 0 ? true : undefined), { what: `reading ${topic}`, timeoutMs: 20_000 });
    return found;
  } finally {
    await reader.disconnect();
  }
}

type Question = { personId: string; authority: string; unitId: string; queueId?: string; at: string };
const stampOf = (d: Pick<AuthorityDecision, 'allowed' | 'basis' | 'mandateId' | 'mandateVersion'>) => ({
  allowed: d.allowed,
  basis: d.basis,
  mandateId: d.mandateId,
  mandateVersion: d.mandateVersion,
});

describe('authority projection agrees with the delegation service (real Kafka, MongoDB wire, relay)', () => {
  const caseDb = isolatedMongoUri('authority_agreement');
  const group = uniqueName('case-service.authority');
  let delegation: DelegationRuntime;
  let caseService: INestApplication;
  let projection: AuthorityProjection;
  let consumer: AuthorityConsumer;
  const tokens: Record<string, string> = {};
  const mandates: Record<'m1' | 'm2' | 'm3' | 'm4' | 'm5' | 'm6', { id: string; version: number }> = {} as never;

  const call = (as: string, method: 'get' | 'post' | 'put', path: string, body?: object, headers: Record<string, string> = {}) => {
    let req = request(delegation.url)[method](path).set('Authorization', `Bearer ${tokens[as]}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? req : req.send(body);
  };

  const serviceAnswer = async (q: Question): Promise<AuthorityDecision> => {
    const params = new URLSearchParams({ personId: q.personId, authority: q.authority, unitId: q.unitId, at: q.at, ...(q.queueId ? { queueId: q.queueId } : {}) });
    const res = await call('auditor', 'get', `/authority/check?${params.toString()}`);
    expect(res.status).toBe(200);
    return res.body as AuthorityDecision;
  };

  const propose = async (as: 'managerA' | 'managerB' | 'boss', delegateId: string, taskType: string, scope: object, authorities: string[]) => {
    const now = Date.now();
    const res = await call(as, 'post', '/mandates', {
      delegateId,
      taskType,
      scope,
      direction: { purpose: 'Keep the work moving', successCriteria: ['Nothing waits more than 2 days'] },
      framework: { rules: [{ id: 'r1', text: 'At most 5 open items per colleague', mode: 'enforce' }], reservedDecisions: ['dismissals'], escalationContactId: ids[as] },
      authorities,
      // Must lie in the future at proposal; the scheduler activates it then.
      period: { from: new Date(now + 1500).toISOString(), until: new Date(now + 30 * 86_400_000).toISOString() },
      reviewCadenceDays: 30,
    });
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 201, body: expect.objectContaining({ mandateId: expect.any(String) }) });
    return res.body.mandateId as string;
  };

  /** A state change on a mandate with If-Match; returns the new version (ETag). */
  const change = async (as: string, id: string, action: 'accept' | 'suspend' | 'resume' | 'revoke', version: number, body?: object) => {
    const res = await call(as, 'post', `/mandates/${id}/${action}`, body ?? {}, { 'If-Match': `"${version}"` });
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: expect.anything() });
    return Number(String(res.headers['etag']).replace(/"/g, ''));
  };

  beforeAll(async () => {
    const config: DelegationConfig = {
      serviceName: 'delegation',
      host: '127.0.0.1',
      port: 0,
      eventStore: { kind: 'sqlite', file: join(dir, 'events.sqlite') },
      mongoUri: testInfra().mongo.uri,
      mongoDb: uniqueName('delegation').replace(/-/g, '_'),
      kafkaBrokers: testInfra().kafka.brokers,
      schedulerIntervalMs: 200,
      relayEnabled: true,
      auth: { mode: 'dev', keyFile },
    };
    delegation = await startDelegationService(config);
    // One after the other: the first creates the dev issuer key the others must share.
    tokens['hr'] = await issueDevToken({ sub: 'hr-system', roles: ['admin'], keyFile });
    tokens['auditor'] = await issueDevToken({ sub: 'auditor', roles: ['compliance'], keyFile });
    for (const person of ['anna', 'bob', 'carl', 'managerA', 'managerB', 'boss', 'stranger'] as const) {
      tokens[person] = await issueDevToken({ sub: ids[person], keyFile });
    }

    caseService = await startCaseService({
      kafka: { brokers: testInfra().kafka.brokers },
      mongo: { uri: caseDb.uri, dbName: caseDb.dbName },
      group,
      refreshIntervalMs: 1000,
      // The group reads both topics from the beginning; joining may take a few seconds.
      waitForKafkaMs: 30_000,
    });
    projection = caseService.get(AuthorityProjection);
    consumer = caseService.get(AuthorityConsumer);
    expect(consumer.status().state).toBe('running');

    // Directory: root (boss) → A (manager A), B (manager B); the others are members of A and B.
    for (const [unitId, parentId, managerIds] of [
      [ids.root, null, [ids.boss]],
      [ids.unitA, ids.root, [ids.managerA]],
      [ids.unitB, ids.root, [ids.managerB]],
    ] as const) {
      const res = await call('hr', 'put', `/directory/units/${unitId}`, { name: unitId, parentId, managerIds: [...managerIds] });
      expect(res.status).toBe(201);
    }
    for (const person of [ids.anna, ids.bob, ids.carl, ids.managerA, ids.managerB, ids.boss]) {
      const res = await call('hr', 'put', `/directory/people/${person}`, { displayName: person, email: `${person}@example.test`, locale: 'de-DE', unitIds: [ids.root, ids.unitA, ids.unitB] });
      expect(res.status).toBe(201);
    }

    // Mandates: five accepted (activated by the scheduler), one left proposed.
    const m1 = await propose('managerA', ids.anna, 'case-distribution', { unitId: ids.unitA, queueId: ids.queue1 }, ['cases.assign', 'cases.prioritise']);
    const m2 = await propose('managerA', ids.bob, 'onboarding', { unitId: ids.unitA }, ['onboarding.plan', 'calendar.book']);
    const m3 = await propose('managerB', ids.carl, 'case-distribution', { unitId: ids.unitB, queueId: ids.queue2 }, ['cases.assign']);
    const m4 = await propose('managerB', ids.anna, 'coordination', { unitId: ids.unitB }, ['tasks.view-all']);
    const m5 = await propose('managerB', ids.bob, 'case-distribution', { unitId: ids.unitB, queueId: ids.queue3 }, ['cases.assign']);
    const m6 = await propose('boss', ids.carl, 'coordination', { unitId: ids.root }, ['tasks.reassign', 'tasks.view-all']);
    await change('anna', m1, 'accept', 0);
    await change('bob', m2, 'accept', 0);
    await change('carl', m3, 'accept', 0);
    await change('anna', m4, 'accept', 0);
    await change('carl', m6, 'accept', 0);

    const activeVersion = (id: string) =>
      eventually(
        async () => {
          const res = await call('auditor', 'get', `/mandates/${id}`);
          return res.body.status === 'active' ? Number(String(res.headers['etag']).replace(/"/g, '')) : undefined;
        },
        { what: `mandate ${id} activated by the scheduler`, timeoutMs: 20_000, intervalMs: 200 },
      );
    for (const [key, id] of Object.entries({ m1, m2, m3, m4, m6 })) mandates[key as keyof typeof mandates] = { id, version: await activeVersion(id) };
    mandates.m5 = { id: m5, version: 0 };
  });

  afterAll(async () => {
    await caseService?.close();
    await delegation?.close();
    const client = await MongoClient.connect(caseDb.uri);
    await client.db(caseDb.dbName).dropDatabase().catch(() => undefined);
    await client.close();
  });

  /** The consumer holds every unit and mandate at the versions the delegation service reported. */
  async function projectionCaughtUp(): Promise<void> {
    for (const { id, version } of Object.values(mandates)) await consumer.waitForVersion(id, version, 30_000);
    for (const unitId of [ids.root, ids.unitA, ids.unitB]) {
      await eventually(() => (projection.unitVersion(unitId) !== undefined ? true : undefined), { what: `unit ${unitId} projected`, timeoutMs: 30_000 });
    }
  }

  function questions(at: string): Question[] {
    const people = [ids.anna, ids.bob, ids.carl, ids.managerA, ids.managerB, ids.boss, ids.stranger];
    const authorities = ['cases.assign', 'cases.prioritise', 'onboarding.plan', 'tasks.view-all', 'tasks.reassign'];
    const scopes = [
      { unitId: ids.unitA, queueId: ids.queue1 },
      { unitId: ids.unitA, queueId: ids.queue2 },
      { unitId: ids.unitA },
      { unitId: ids.unitB, queueId: ids.queue2 },
      { unitId: ids.unitB, queueId: ids.queue3 },
      { unitId: ids.unitB },
      { unitId: ids.root },
      { unitId: ids.unknownUnit },
    ];
    return people.flatMap((personId) => authorities.flatMap((authority) => scopes.map((scope) => ({ personId, authority, ...scope, at }))));
  }

  /**
   * Allowed and basis agree for every question; for allowed answers the stamp (mandate id and
   * version) agrees too. For refusals the contract's evaluator names the nearest miss (e.g. the
   * revoked mandate) where the service's REST answer says null, so ids are compared only when allowed.
   */
  async function expectAgreement(qs: readonly Question[]): Promise<{ local: AuthorityDecision; remote: AuthorityDecision; q: Question }[]> {
    const answers = [];
    for (const q of qs) {
      const local = projection.may(q);
      const remote = await serviceAnswer(q);
      answers.push({ q, local, remote });
    }
    const disagreements = answers
      .filter(({ local, remote }) => local.allowed !== remote.allowed || local.basis !== remote.basis || (local.allowed && JSON.stringify(stampOf(local)) !== JSON.stringify(stampOf(remote))))
      .map(({ q, local, remote }) => ({ q, local: stampOf(local), remote: stampOf(remote), localReason: local.reason, remoteReason: remote.reason }));
    expect(disagreements).toEqual([]);
    return answers;
  }

  it('answers every question as GET /authority/check does', async () => {
    await projectionCaughtUp();
    const answers = await expectAgreement(questions(new Date().toISOString()));

    // Not a vacuous agreement: all three kinds of answers occur, with the expected stamps.
    const allowedByMandate = answers.filter((a) => a.local.basis === 'mandate');
    expect(allowedByMandate.map((a) => a.local.mandateId).sort()).toEqual(
      // m2 and m4 are unit-wide, so they cover the unit and each of its queues.
      [...Array(2).fill(mandates.m1.id), ...Array(3).fill(mandates.m2.id), mandates.m3.id, ...Array(3).fill(mandates.m4.id), ...Array(2).fill(mandates.m6.id)].sort(),
    );
    expect(answers.filter((a) => a.local.basis === 'formal-manager').length).toBeGreaterThan(50);
    expect(answers.filter((a) => !a.local.allowed).length).toBeGreaterThan(100);
    const annaAssigns = answers.find((a) => a.q.personId === ids.anna && a.q.authority === 'cases.assign' && a.q.unitId === ids.unitA && a.q.queueId === ids.queue1);
    expect(stampOf(annaAssigns!.local)).toEqual({ allowed: true, basis: 'mandate', mandateId: mandates.m1.id, mandateVersion: mandates.m1.version });
    const proposedOnly = answers.find((a) => a.q.personId === ids.bob && a.q.authority === 'cases.assign' && a.q.unitId === ids.unitB && a.q.queueId === ids.queue3);
    expect(proposedOnly!.local).toMatchObject({ allowed: false, reason: expect.stringMatching(/proposed/) });
  });

  it('stamps a guarded action in the other service with the mandate it relied on', async () => {
    const res = await request(caseService.getHttpServer())
      .post(`/units/${ids.unitA}/assignments`)
      .set('Authorization', `Bearer ${tokens['anna']}`)
      .send({ queueId: ids.queue1 });
    expect(res.status).toBe(201);
    expect(res.body.stamp).toMatchObject({ actorId: ids.anna, basis: 'mandate', mandateId: mandates.m1.id, mandateVersion: mandates.m1.version });
  });

  it('denies right after a revocation once the consumer holds the revoked version, and agrees with the service', async () => {
    const revokedVersion = await change('managerA', mandates.m1.id, 'revoke', mandates.m1.version, { reason: 'Reorganisation' });
    mandates.m1 = { id: mandates.m1.id, version: revokedVersion };

    await consumer.waitForVersion(mandates.m1.id, revokedVersion, 30_000);
    const q: Question = { personId: ids.anna, authority: 'cases.assign', unitId: ids.unitA, queueId: ids.queue1, at: new Date().toISOString() };
    const local = projection.may(q);
    expect(local).toMatchObject({ allowed: false, basis: null, mandateId: mandates.m1.id, mandateVersion: revokedVersion, reason: expect.stringMatching(/revoked/) });
    expect(await serviceAnswer(q)).toMatchObject({ allowed: false, basis: null, reason: expect.stringMatching(/revoked/) });

    const guarded = await request(caseService.getHttpServer())
      .post(`/units/${ids.unitA}/assignments`)
      .set('Authorization', `Bearer ${tokens['anna']}`)
      .send({ queueId: ids.queue1 });
    expect(guarded.status).toBe(403);
    expect(guarded.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(guarded.body).toMatchObject({ detail: expect.stringMatching(/revoked/), mandateId: mandates.m1.id, mandateVersion: revokedVersion });

    // The rest of the world still agrees.
    await expectAgreement(questions(new Date().toISOString()));
  });

  it('follows a suspension and a resumption, each as soon as its version arrives', async () => {
    const carlAssigns = () => ({ personId: ids.carl, authority: 'cases.assign', unitId: ids.unitB, queueId: ids.queue2, at: new Date().toISOString() });

    const suspended = await change('managerB', mandates.m3.id, 'suspend', mandates.m3.version, { reason: 'Audit of the queue' });
    await consumer.waitForVersion(mandates.m3.id, suspended, 30_000);
    const whileSuspended = carlAssigns();
    expect(projection.may(whileSuspended)).toMatchObject({ allowed: false, mandateId: mandates.m3.id, mandateVersion: suspended, reason: expect.stringMatching(/suspended/) });
    expect(await serviceAnswer(whileSuspended)).toMatchObject({ allowed: false, basis: null });

    const resumed = await change('managerB', mandates.m3.id, 'resume', suspended);
    mandates.m3 = { id: mandates.m3.id, version: resumed };
    await consumer.waitForVersion(mandates.m3.id, resumed, 30_000);
    const afterResume = carlAssigns();
    const local = projection.may(afterResume);
    expect(stampOf(local)).toEqual({ allowed: true, basis: 'mandate', mandateId: mandates.m3.id, mandateVersion: resumed });
    expect(stampOf(await serviceAnswer(afterResume))).toEqual(stampOf(local));
  });

  it('parks a MandateChanged with an implausible version jump instead of letting it win for ever', async () => {
    // A forged copy of m2's latest state at version 2^31: applied, no genuine later version could replace it.
    const genuine = mandates.m2;
    const held = projection.mandateVersion(genuine.id);
    expect(held).toBe(genuine.version);
    const client = await MongoClient.connect(caseDb.uri);
    const stored = await (await MongoAuthorityStore.open(client.db(caseDb.dbName))).findMandate(genuine.id).finally(() => client.close());
    if (!stored) throw new Error(`mandate ${genuine.id} is not in the case service's store`);
    const now = new Date().toISOString();
    const forged = encodeCloudEvent(MandateChanged, {
      id: randomUUID(),
      time: now,
      data: { mandateId: genuine.id, version: 2 ** 31, change: 'amended', actorId: ids.stranger, occurredAt: now, mandate: stored.mandate },
    });
    const kafka = new Kafka({ clientId: uniqueName('forger'), brokers: [...testInfra().kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: MANDATES_TOPIC, acks: -1, messages: [{ key: forged.key, value: forged.value, headers: { ...forged.headers } }] }).finally(() => producer.disconnect());

    const parked = await eventually(
      () => findOnTopic(kafka, deadLetterTopicName(group), (headers) => headers['ce_id'] === forged.headers['ce_id']),
      { what: 'the forged event on the dead-letter topic', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(parked.headers).toMatchObject({ 'dlq-reason': 'handler-failed', 'dlq-attempts': '1' });
    expect(parked.headers['dlq-error']).toMatch(/^NonRetriableError: mandate .* version 2147483648 is more than 100000 above the held/);
    expect(projection.mandateVersion(genuine.id)).toBe(genuine.version);
    expect(consumer.status().messages['dead-lettered']).toBeGreaterThanOrEqual(1);
  });

  it('reports status and lag, also in /health, and stops gracefully', async () => {
    expect(consumer.status()).toMatchObject({ group, state: 'running', lastError: null });
    expect(consumer.status().eventsApplied).toBeGreaterThanOrEqual(Object.keys(mandates).length + 3);
    // Other suites may publish meanwhile, so wait for a moment at which the group is caught up.
    const lag = await eventually(async () => {
      const l = await consumer.lag();
      return l.total === 0 ? l : undefined;
    }, { what: 'consumer lag 0', timeoutMs: 30_000, intervalMs: 250 });
    expect(new Set(lag.partitions.map((p) => p.topic))).toEqual(new Set(['leadership.delegation.mandates.v1', 'leadership.delegation.directory.v1']));
    const health = await request(caseService.getHttpServer()).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info?.authority).toMatchObject({
      status: 'up',
      consumer: { group, state: 'running', lastError: null },
      lag: { partitions: expect.arrayContaining([expect.objectContaining({ topic: 'leadership.delegation.mandates.v1' })]) },
    });

    await caseService.close();
    expect(consumer.status().state).toBe('stopped');
  });

  it('after a restart with the broker unreachable, keeps the state from MongoDB but grants nothing it cannot prove fresh (503), and /health says why', async () => {
    const started = Date.now();
    caseService = await startCaseService({
      // Nothing listens there: the consumer cannot join and keeps retrying (quietly, here).
      kafka: { client: new Kafka({ clientId: group, brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 1 } }) },
      mongo: { uri: caseDb.uri, dbName: caseDb.dbName },
      group,
      waitForKafkaMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    projection = caseService.get(AuthorityProjection);
    consumer = caseService.get(AuthorityConsumer);
    expect(consumer.status().state).not.toBe('running');
    // The freshness rule: without the broker the projection cannot know what it missed (a
    // revocation, say), so /health is down saying why and grants are refused with 503.
    const health = await request(caseService.getHttpServer()).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.error?.authority?.message).toMatch(/behind the delegation event store .*not caught up .*since start.*consumer is (connecting|reconnecting)/);

    // The state loaded from MongoDB is all there (plain `may` answers from it, unchecked).
    await expectAgreement(questions(new Date().toISOString()));
    const guarded = await request(caseService.getHttpServer())
      .post(`/units/${ids.unitB}/assignments`)
      .set('Authorization', `Bearer ${tokens['carl']}`)
      .send({ queueId: ids.queue2 });
    expect(guarded.status).toBe(503);
    expect(guarded.headers['retry-after']).toBe('1');
    expect(projection.mayFresh({ personId: ids.stranger, authority: 'cases.assign', unitId: ids.unitB, queueId: ids.queue2 })).toMatchObject({ allowed: false });
  });
});
