import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { AuthorityProjection } from '@leadership/authority';
import { ASSIGNMENTS_TOPIC, CaseSubmitted } from '@leadership/case-distribution-contracts';
import { intakeCaseId } from '@leadership/case-distribution-infrastructure';
import { DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG, DIRECTORY_TOPIC, MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { issueDevToken } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService, type RunningService } from '@leadership/platform-runtime';
import { eventually, startDedicatedKafka, startServiceProcess, testInfra, uniqueName, type DedicatedKafka, type ServiceProcess } from '@leadership/testing';
import { caseDistributionService } from './case-distribution.app';

interface AssignmentMessage {
  readonly caseId: string;
  readonly kind: string;
  readonly actorId: string;
  readonly stamp: { basis: string; mandateId: string | null; mandateVersion: number | null } | null;
}

/*
 * The seed story on the real stack, both services real: the delegation service as its own
 * process (as `npm start` runs it: SQLite event store, read model, scheduler, relay to Kafka), the
 * case distribution service in-process; the MongoDB wire server and Kafka of the jest harness.
 *
 * Ana (formal manager of the unit) delegates case distribution for queue `general` to Ben; cases
 * arrive over REST and over Kafka; they are offered and accepted; Ben reprioritises one (stamped
 * with his mandate's id and version); Ana revokes; Ben's next assignment is 403 and Ana's works;
 * the decisions report shows who decided what on which authority.
 */
describe('case distribution: the seed story across both services', () => {
  jest.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'case-distribution-e2e-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const run = uniqueName('seed').replace(/[^a-z0-9-]/g, '-');
  const unitId = `support-${run}`;
  const queueId = `general-${run}`;
  const [ana, ben, carl, dora] = ['ana', 'ben', 'carl', 'dora'].map((name) => `${name}-${run}`) as [string, string, string, string];
  const casesDb = uniqueName('case_distribution').replace(/-/g, '_');
  const delegationDb = uniqueName('delegation').replace(/-/g, '_');
  const assignments: AssignmentMessage[] = [];
  let delegation: ServiceProcess | undefined;
  let broker: DedicatedKafka | undefined;
  let service: RunningService | undefined;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;

  const url = (): string => {
    if (!service) throw new Error('the case distribution service did not start');
    return service.url;
  };
  const token = (sub: string, roles: string[] = []) => issueDevToken({ sub, roles, keyFile });
  const as = async (sub: string, roles: string[] = []) => ({ Authorization: `Bearer ${await token(sub, roles)}` });
  /** A call to the delegation service (its own process). */
  const delegationCall = async (method: string, path: string, sub: string, body?: unknown, headers: Record<string, string> = {}, roles: string[] = []) => {
    if (!delegation) throw new Error('the delegation service did not start');
    const response = await fetch(`${delegation.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await token(sub, roles)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, etag: response.headers.get('etag'), body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const authorityOf = () => {
    if (!service) throw new Error('no service');
    return service.app.get(AuthorityProjection);
  };

  beforeAll(async () => {
    const infra = testInfra();
    // A broker of its own: a new authority group reads the whole mandates topic before it answers,
    // and a long-lived (or late in a full run) shared broker carries every earlier suite's mandates.
    broker = await startDedicatedKafka({ name: 'case-distribution-e2e', port: 19592 });
    await broker.start();
    const brokers = [...broker.brokers];
    const kafka = new Kafka({ clientId: 'seed-e2e', brokers, logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
      // The delegation relay's progress reports, without which the authority projection is never fresh.
      DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
    ]);
    // The dev issuer's key, shared by both services (written once, before either starts).
    await token('setup');
    delegation = await startServiceProcess({
      name: 'delegation',
      env: {
        DELEGATION_EVENT_STORE: join(dir, 'delegation.sqlite'),
        MONGO_URI: infra.mongo.uri,
        DELEGATION_MONGO_DB: delegationDb,
        KAFKA_BROKERS: brokers.join(','),
        AUTH_MODE: 'dev',
        AUTH_DEV_KEY_FILE: keyFile,
        SCHEDULER_INTERVAL_MS: '500',
        LOG_LEVEL: 'warn',
      },
    });
    const config = serviceConfigFromEnv(
      'case-distribution',
      { defaultPort: 0, workspaceRoot: dir },
      {
        CASE_DISTRIBUTION_PORT: '0',
        CASE_DISTRIBUTION_EVENT_STORE: join(dir, 'cases.sqlite'),
        MONGO_URI: infra.mongo.uri,
        CASE_DISTRIBUTION_MONGO_DB: casesDb,
        KAFKA_BROKERS: brokers.join(','),
      },
    );
    service = await startService(
      caseDistributionService(config, { auth: { mode: 'dev', keyFile }, authorityGroup: uniqueName('cd-authority'), intakeGroup: uniqueName('cd-intake'), onboardingGroup: uniqueName('cd-onboarding'), routingIntervalMs: 100 }),
    );
    consumer = kafka.consumer({ groupId: uniqueName('seed-e2e') });
    await consumer.connect();
    await consumer.subscribe({ topic: ASSIGNMENTS_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const data = JSON.parse(message.value?.toString() ?? '{}') as AssignmentMessage;
        if (data.caseId) assignments.push(data);
      },
    });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await consumer?.disconnect();
    await service?.close();
    await delegation?.stop();
    await broker?.stop();
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await Promise.all([client.db(casesDb).dropDatabase().catch(() => undefined), client.db(delegationDb).dropDatabase().catch(() => undefined)]);
    await client.close();
  });

  let mandateId = '';
  let mandateVersion = 0;
  const caseIds: string[] = [];

  it('Ana delegates case distribution for queue general to Ben (delegation service → Kafka → local projection)', async () => {
    const person = (id: string) => ({ id, displayName: id, email: `${id}@example.test`, locale: 'en-GB', unitIds: [unitId] });
    const imported = await delegationCall('POST', '/directory/import', 'hr-system', { units: [{ id: unitId, name: 'Support', parentId: null, managerIds: [ana] }], people: [ana, ben, carl, dora].map(person) }, {}, ['admin']);
    expect(imported.status).toBe(200);
    const from = new Date(Date.now() + 1_000).toISOString();
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const proposed = await delegationCall('POST', '/mandates', ana, {
      delegateId: ben,
      taskType: 'case-distribution',
      scope: { unitId, queueId },
      direction: { purpose: 'Keep the general queue moving while Ana is on leave', successCriteria: ['no P1 waits longer than an hour'] },
      framework: {
        rules: [
          { id: 'r1', text: 'Nobody above full load', mode: 'warn', check: { kind: 'cases.max-load-percent', params: { percent: 100 } } },
          { id: 'r2', text: 'Priority 1 stays with Ana', mode: 'enforce', check: { kind: 'cases.priority-ceiling', params: { highest: 'P2' } } },
        ],
        reservedDecisions: ['dismissals'],
        escalationContactId: ana,
      },
      authorities: ['cases.assign', 'cases.prioritise'],
      period: { from, until },
      reviewCadenceDays: 14,
    });
    expect(proposed.status).toBe(201);
    mandateId = String(proposed.body['mandateId']);
    const accepted = await delegationCall('POST', `/mandates/${mandateId}/accept`, ben, undefined, { 'If-Match': proposed.etag ?? '' });
    expect(accepted.status).toBe(200);
    // The scheduler activates it at `from`; the relay publishes; this service's projection follows.
    const granted = await eventually(
      () => {
        const answer = authorityOf().may({ personId: ben, authority: 'cases.prioritise', unitId, queueId });
        return answer.allowed ? answer : undefined;
      },
      { timeoutMs: 60_000, what: "Ben's mandate in the case distribution service's authority projection" },
    );
    expect(granted).toMatchObject({ basis: 'mandate', mandateId });
    mandateVersion = Number(granted.mandateVersion);
  });

  it('Ana sets up the queue and its agents; agents go available', async () => {
    const queue = await request(url())
      .put(`/queues/${queueId}`)
      .set(await as(ana))
      .send({
        unitId,
        name: 'General',
        routing: { mode: 'most-available', pushTimeoutSeconds: 120, skillRelaxationSeconds: 600 },
        sla: { P1: { firstResponseMinutes: 15, resolutionMinutes: 240 }, P2: { firstResponseMinutes: 60, resolutionMinutes: 480 }, P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 }, P4: { firstResponseMinutes: 480, resolutionMinutes: 2880 } },
        channelWeights: { email: 2, chat: 1 },
      });
    expect(queue.status).toBe(201);
    for (const agent of [carl, dora]) {
      expect((await request(url()).put(`/queues/${queueId}/agents/${agent}`).set(await as(ana)).send({ capacity: 4, skills: [{ name: 'billing', level: 3 }] })).status).toBe(200);
      expect((await request(url()).put(`/agents/${agent}/presence`).set(await as(agent)).send({ status: 'available' })).status).toBe(200);
    }
    // Carl may not set Dora's presence, nor configure the queue.
    expect((await request(url()).put(`/agents/${dora}/presence`).set(await as(carl)).send({ status: 'offline' })).status).toBe(403);
    const refused = await request(url()).put(`/queues/${queueId}/agents/${carl}`).set(await as(carl)).send({ capacity: 40, skills: [] });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ authority: 'cases.prioritise', unitId, queueId });
  });

  it('cases arrive over REST (idempotent by key) and over Kafka (idempotent by CloudEvent id), are offered and accepted', async () => {
    const crm = { ...(await as('crm-app', ['system'])), 'Idempotency-Key': uniqueName('key') };
    const body = { queueId, title: 'Invoice twice charged', priority: 'P3', channel: 'email' };
    const first = await request(url()).post('/cases').set(crm).send(body);
    const retry = await request(url()).post('/cases').set(crm).send(body);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.caseId).toBe(first.body.caseId);
    caseIds.push(String(first.body.caseId));
    const second = await request(url()).post('/cases').set(await as('crm-app', ['system'])).send({ ...body, title: 'Refund request', channel: 'chat' });
    caseIds.push(String(second.body.caseId));

    const message = encodeCloudEvent(CaseSubmitted, { id: randomUUID(), time: new Date().toISOString(), data: { queueId, title: 'Complaint from the shop', priority: 'P2', channel: 'email', externalRef: `SHOP-${run}` } });
    const record = { key: message.key, value: message.value, headers: { ...message.headers } };
    // Sent twice: a redelivery must make one case.
    await producer?.send({ topic: message.topic, messages: [record, record] });
    const fromKafka = intakeCaseId(String(message.headers['ce_id']));
    caseIds.push(fromKafka);

    for (const caseId of caseIds) {
      const offered = await eventually(
        async () => {
          const response = await request(url()).get(`/cases/${caseId}`).set(await as(ana));
          return response.status === 200 && response.body.status === 'offered' ? response.body : undefined;
        },
        { timeoutMs: 30_000, what: `case ${caseId} offered` },
      );
      expect(offered.decisions[0]).toMatchObject({ kind: 'offered', basis: 'routing-policy', mandateId: null });
      const accepted = await request(url()).post(`/cases/${caseId}/offer/accept`).set(await as(String(offered.offeredTo)));
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'assigned', assigneeId: offered.offeredTo });
    }
    const routing = await request(url()).get(`/cases/${fromKafka}/routing`).set(await as(ana));
    expect(routing.body.items[0].explanation.candidates.map((c: { agentId: string }) => c.agentId).sort()).toEqual([carl, dora].sort());
    const listed = await request(url()).get(`/cases?queueId=${queueId}&limit=100`).set(await as(ana));
    expect(await eventually(async () => ((await request(url()).get(`/cases?queueId=${queueId}&limit=100`).set(await as(ana))).body.items.length === 3 ? true : undefined), { what: 'three cases listed' })).toBe(true);
    expect(listed.status).toBe(200);
  });

  it('Ben reprioritises a case under his mandate: the decision carries its id and version; an enforce rule of his framework refuses a P1', async () => {
    const caseId = caseIds[0] as string;
    // The mandate's machine-checkable rule travelled with MandateChanged: P1 is above Ben's ceiling.
    const refused = await request(url()).post(`/cases/${caseId}/prioritise`).set(await as(ben)).send({ priority: 'P1', reason: 'the customer was charged twice' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ rule: 'case.framework-rule-violated' });
    expect(JSON.stringify(refused.body)).toContain('cases.priority-ceiling');
    const prioritised = await request(url()).post(`/cases/${caseId}/prioritise`).set(await as(ben)).send({ priority: 'P2', reason: 'the customer was charged twice' });
    expect(prioritised.status).toBe(200);
    expect(prioritised.body.decisions.at(-1)).toMatchObject({ kind: 'prioritised', actorId: ben, basis: 'mandate', mandateId, mandateVersion });
    const published = await eventually(() => assignments.find((a) => a.caseId === caseId && a.kind === 'prioritised'), { timeoutMs: 30_000, what: 'the prioritised assignment event on Kafka' });
    expect(published).toMatchObject({ actorId: ben, stamp: { basis: 'mandate', mandateId, mandateVersion } });
  });

  it("Ana revokes: Ben's next assignment is 403 naming the authority and scope, Ana's works", async () => {
    const current = await delegationCall('GET', `/mandates/${mandateId}`, ana);
    const revoked = await delegationCall('POST', `/mandates/${mandateId}/revoke`, ana, { reason: 'Ana is back' }, { 'If-Match': current.etag ?? '' });
    expect(revoked.status).toBe(200);
    await eventually(() => (authorityOf().may({ personId: ben, authority: 'cases.assign', unitId, queueId }).allowed ? undefined : true), { timeoutMs: 60_000, what: 'the revocation in the local projection' });
    const caseId = caseIds[1] as string;
    const target = (await request(url()).get(`/cases/${caseId}`).set(await as(ana))).body as { assigneeId: string };
    const other = target.assigneeId === carl ? dora : carl;
    const refused = await request(url()).post(`/cases/${caseId}/reassign`).set(await as(ben)).send({ assigneeId: other, reason: 'balance the load' });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ authority: 'cases.reassign', unitId, queueId });
    const byAna = await request(url()).post(`/cases/${caseId}/reassign`).set(await as(ana)).send({ assigneeId: other, reason: 'balance the load' });
    expect(byAna.status).toBe(200);
    expect(byAna.body.decisions.at(-1)).toMatchObject({ kind: 'reassigned', actorId: ana, basis: 'formal-manager', mandateId: null });
  });

  it('the decisions report shows who decided what on which authority (compliance only)', async () => {
    expect((await request(url()).get(`/audit/decisions?unitId=${unitId}`).set(await as(ben))).status).toBe(403);
    const report = await eventually(
      async () => {
        const response = await request(url()).get(`/audit/decisions?unitId=${unitId}`).set(await as('auditor', ['compliance']));
        return response.status === 200 && (response.body.items as unknown[]).length >= 5 ? (response.body.items as Record<string, unknown>[]) : undefined;
      },
      { what: 'five decisions in the report' },
    );
    expect(report.filter((d) => d['kind'] === 'offered')).toHaveLength(3);
    expect(report.find((d) => d['kind'] === 'prioritised')).toMatchObject({ actorId: ben, basis: 'mandate', mandateId, mandateVersion, outsideMandate: false, asOf: { allowed: true } });
    expect(report.find((d) => d['kind'] === 'reassigned')).toMatchObject({ actorId: ana, basis: 'formal-manager', outsideMandate: false });
    const outside = await request(url()).get(`/audit/decisions?unitId=${unitId}&outsideMandate=true`).set(await as('auditor', ['compliance']));
    expect(outside.body.items).toEqual([]);
  });

  it('answers problem+json: 401 without a token, 400 for unknown fields, 404 for an unknown case, 403 for a stranger reading a case', async () => {
    const anonymous = await request(url()).post('/cases').send({ queueId, title: 'x', priority: 'P3', channel: 'chat' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(url()).post('/cases').set(await as('crm-app')).send({ queueId, title: 'x', priority: 'P3', channel: 'chat', extra: 1 })).status).toBe(400);
    expect((await request(url()).post('/cases').set(await as('crm-app')).send({ queueId: 'no-such-queue', title: 'x', priority: 'P3', channel: 'chat' })).status).toBe(404);
    expect((await request(url()).get('/cases/none').set(await as(ana))).status).toBe(404);
    expect((await request(url()).get(`/cases/${caseIds[0]}`).set(await as('stranger'))).status).toBe(403);
  });

  it('reports store, database, projector, relay, both consumers and the dispatcher on /health', async () => {
    const health = await eventually(async () => {
      const response = await request(url()).get('/health');
      return response.status === 200 ? response : undefined;
    }, { what: '/health 200 (the authority check is up once its projection has read the delegation topics)', timeoutMs: 180_000 });
    expect(Object.keys(health.body.info ?? {})).toEqual(expect.arrayContaining(['event-store', 'mongodb', 'projector:case-distribution-cases', 'relay', 'authority', 'intake', 'dispatcher']));
  });
});
