import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { AuthorityConsumer, AuthorityProjection } from '@leadership/authority';
import { ASSIGNMENTS_TOPIC } from '@leadership/case-distribution-contracts';
import { DIRECTORY_TOPIC, MANDATE_REMINDERS_TOPIC, MandateReminderDue, MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { DELIVERIES_TOPIC } from '@leadership/notifications-contracts';
import { notificationIdForRequest } from '@leadership/notifications-domain';
import { issueDevToken } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService, type RunningService } from '@leadership/platform-runtime';
import { eventually, startDedicatedKafka, startServiceProcess, TcpOutageProxy, testInfra, uniqueName, type DedicatedKafka, type ServiceProcess } from '@leadership/testing';
import { notificationsService, type NotificationsServiceOptions } from './notifications.app';

interface MailpitMessage {
  readonly ID: string;
  readonly Subject: string;
}
interface InboxEntry {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly category: string;
  readonly read: boolean;
  readonly source: { type: string; id: string };
}
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/*
 * The notifications service on the real stack: the delegation service as its own process (mandates,
 * directory, relay to Kafka), notifications in-process (SQLite event store, the harness's MongoDB wire
 * server and Kafka), SMTP to the harness's Mailpit through a TCP proxy the test can take away, real
 * webhook receivers (node:http). The service's clock is the real one plus an offset the test moves
 * forward to end quiet hours and digest windows; back-off is shortened through the options.
 */
describe('notifications: the right person hears of it, on the right channel', () => {
  jest.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'notifications-e2e-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const run = uniqueName('n').replace(/[^a-z0-9-]/g, '-');
  const unitId = `support-${run}`;
  const [ana, ben, cleo, dan, erik, gus] = ['ana', 'ben', 'cleo', 'dan', 'erik', 'gus'].map((name) => `${name}-${run}`) as [string, string, string, string, string, string];
  const email = (personId: string) => `${personId}@example.test`;
  const notificationsDb = uniqueName('notifications').replace(/-/g, '_');
  const delegationDb = uniqueName('delegation').replace(/-/g, '_');
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  let delegation: ServiceProcess | undefined;
  let service: RunningService | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const published: { recipientId: string; kind: string; channel: string; basis: string; mandateId: string | null }[] = [];
  let smtpProxy: TcpOutageProxy | undefined;
  let broker: DedicatedKafka | undefined;
  let brokers = '';
  let notificationsProcess: ServiceProcess | undefined;
  const processDb = uniqueName('notifications_process').replace(/-/g, '_');
  const receivers: Server[] = [];
  const streams: AbortController[] = [];

  const url = (): string => {
    if (!service) throw new Error('the notifications service did not start');
    return service.url;
  };
  const token = (sub: string, roles: string[] = [], ttlSeconds?: number) => issueDevToken({ sub, roles, keyFile, ...(ttlSeconds ? { ttlSeconds } : {}) });
  const as = async (sub: string, roles: string[] = []) => ({ Authorization: `Bearer ${await token(sub, roles)}` });
  const delegationCall = async (method: string, path: string, sub: string, body?: unknown, headers: Record<string, string> = {}, roles: string[] = []) => {
    if (!delegation) throw new Error('the delegation service did not start');
    const response = await fetch(`${delegation.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await token(sub, roles)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, etag: response.headers.get('etag'), body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const mailsTo = async (personId: string): Promise<MailpitMessage[]> => {
    const response = await fetch(`${testInfra().mailpit.apiUrl}/api/v1/search?query=${encodeURIComponent(`to:"${email(personId)}"`)}&limit=200`);
    return ((await response.json()) as { messages: MailpitMessage[] }).messages;
  };
  const inboxOf = async (personId: string): Promise<InboxEntry[]> => (await request(url()).get('/inbox').set(await as(personId))).body.items as InboxEntry[];
  const deliveriesOf = async (personId: string) =>
    (await request(url()).get(`/deliveries?recipientId=${personId}`).set(await as('compliance-officer', ['compliance']))).body.items as {
      channel: string;
      status: string;
      basis: string;
      mandateId: string | null;
      attempts: number;
      plannedAt: string;
      lastAttemptAt: string | null;
      lastError: string | null;
      nextAttemptAt: string | null;
    }[];
  const send = async (body: Record<string, unknown>) => request(url()).post('/notifications').set({ ...(await as('crm-app', ['system'])), 'Idempotency-Key': randomUUID() }).send(body);
  /** As a client honouring Retry-After would: a role is resolved only while the mandates are fresh (503 until then). */
  const sendToRole = (body: Record<string, unknown>) =>
    eventually(
      async () => {
        const answer = await send(body);
        return answer.status === 503 ? undefined : answer;
      },
      { timeoutMs: 30_000, what: 'POST /notifications to a role, once the mandates are fresh' },
    );
  const authority = () => {
    if (!service) throw new Error('no service');
    return service.app.get(AuthorityProjection);
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  let serviceOptions: NotificationsServiceOptions;
  let config: ReturnType<typeof serviceConfigFromEnv>;

  beforeAll(async () => {
    const infra = testInfra();
    // A broker of its own: a new authority group reads the whole mandates topic before it answers, and
    // the shared dev broker carries tens of thousands of mandate events from benchmarks and other suites.
    broker = await startDedicatedKafka({ name: 'notifications-e2e', port: 19292 });
    await broker.start();
    brokers = broker.brokers.join(',');
    const kafka = new Kafka({ clientId: 'notifications-e2e', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
      { topic: MANDATE_REMINDERS_TOPIC, cleanupPolicy: 'delete' },
      { topic: ASSIGNMENTS_TOPIC, cleanupPolicy: 'delete' },
    ]);
    await token('setup');
    delegation = await startServiceProcess({
      name: 'delegation',
      env: {
        DELEGATION_EVENT_STORE: join(dir, 'delegation.sqlite'),
        MONGO_URI: infra.mongo.uri,
        DELEGATION_MONGO_DB: delegationDb,
        KAFKA_BROKERS: brokers,
        AUTH_MODE: 'dev',
        AUTH_DEV_KEY_FILE: keyFile,
        SCHEDULER_INTERVAL_MS: '500',
        LOG_LEVEL: 'warn',
      },
    });
    smtpProxy = new TcpOutageProxy(infra.smtp);
    await smtpProxy.start();
    config = serviceConfigFromEnv(
      'notifications',
      { defaultPort: 0, workspaceRoot: dir },
      {
        NOTIFICATIONS_PORT: '0',
        NOTIFICATIONS_EVENT_STORE: join(dir, 'notifications.sqlite'),
        MONGO_URI: infra.mongo.uri,
        NOTIFICATIONS_MONGO_DB: notificationsDb,
        KAFKA_BROKERS: brokers,
      },
    );
    serviceOptions = {
      auth: { mode: 'dev', keyFile },
      clock,
      settings: {
        smtp: { host: '127.0.0.1', port: smtpProxy.port, ignoreTls: true, from: 'Leadership <notifications@leadership.example>', timeoutMs: 3_000 },
        directoryUrl: delegation.url,
        authorityGroup: uniqueName('notifications-authority'),
        consumerGroup: uniqueName('notifications-sources'),
        directoryGroup: uniqueName('notifications-directory'),
      },
      retryPolicies: {
        email: { maxAttempts: 40, baseDelayMs: 300, factor: 1.5, maxDelayMs: 1_000, jitter: 0 },
        webhook: { maxAttempts: 3, baseDelayMs: 200, factor: 2, maxDelayMs: 500, jitter: 0 },
      },
      dispatchIntervalMs: 100,
    };
    service = await startService(notificationsService(config, serviceOptions));
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: uniqueName('notifications-e2e-deliveries') });
    await consumer.connect();
    await consumer.subscribe({ topic: DELIVERIES_TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void published.push(JSON.parse(message.value?.toString() ?? '{}') as (typeof published)[number]) });

    const person = (id: string, locale: string, displayName: string) => ({ id, displayName, email: email(id), locale, unitIds: [unitId] });
    const imported = await delegationCall(
      'POST',
      '/directory/import',
      'hr-system',
      {
        units: [{ id: unitId, name: 'Support', parentId: null, managerIds: [ana] }],
        people: [person(ana, 'en-GB', 'Ana Andersson'), person(ben, 'sv-SE', 'Ben Berg'), person(cleo, 'en-GB', 'Cleo Carlsson'), person(dan, 'en-GB', 'Dan Dahl'), person(erik, 'sv-SE', 'Erik Ek'), person(gus, 'en-GB', 'Gus Grahn')],
      },
      {},
      ['admin'],
    );
    expect(imported.status).toBe(200);
  });

  afterAll(async () => {
    for (const stream of streams) stream.abort();
    for (const receiver of receivers) receiver.close();
    await producer?.disconnect();
    await consumer?.disconnect();
    await service?.close();
    await notificationsProcess?.stop();
    await smtpProxy?.close();
    await delegation?.stop();
    await broker?.stop();
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await Promise.all([notificationsDb, delegationDb, processDb].map((db) => client.db(db).dropDatabase().catch(() => undefined)));
    await client.close();
  });

  /** Opens `GET /inbox/stream` the way a browser's EventSource would (token in the query) and collects the items. */
  async function openStream(personId: string): Promise<InboxEntry[]> {
    const received: InboxEntry[] = [];
    const abort = new AbortController();
    streams.push(abort);
    const response = await fetch(`${url()}/inbox/stream?access_token=${await token(personId, [], 300)}`, { signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no stream body');
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (frame.includes('event: inbox-item') && data) received.push(JSON.parse(data.slice(6)) as InboxEntry);
          end = buffer.indexOf('\n\n');
        }
      }
    })();
    return received;
  }

  let mandateId = '';

  it('Ana proposes a mandate to Ben: his inbox has it within seconds (live over SSE) and Mailpit has the e-mail in Swedish', async () => {
    const live = await openStream(ben);
    const longLived = await fetch(`${url()}/inbox/stream?access_token=${await token(ben)}`);
    expect(longLived.status).toBe(401);
    const proposedAt = Date.now();
    const proposed = await delegationCall('POST', '/mandates', ana, {
      delegateId: ben,
      deputyId: cleo,
      taskType: 'case-distribution',
      scope: { unitId },
      direction: { purpose: 'Keep the support queues moving', successCriteria: ['no P1 waits longer than an hour'] },
      framework: { rules: [{ id: 'r1', text: 'Nobody above full load', mode: 'warn' }], reservedDecisions: ['dismissals'], escalationContactId: ana },
      authorities: ['cases.assign'],
      period: { from: new Date(Date.now() + 2_000).toISOString(), until: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      reviewCadenceDays: 14,
    });
    expect(proposed.status).toBe(201);
    mandateId = String(proposed.body['mandateId']);

    const item = await eventually(() => live.find((entry) => entry.category === 'mandates'), { timeoutMs: 20_000, what: 'the proposal on Ben’s live inbox stream' });
    const seconds = (Date.now() - proposedAt) / 1_000;
    expect(item.title).toBe('Ana Andersson föreslår ett case-distribution-uppdrag åt dig');
    expect(item.source.type).toBe('leadership.delegation.mandate-changed.v1');
    expect((await inboxOf(ben)).map((entry) => entry.id)).toContain(item.id);
    const mail = await eventually(async () => (await mailsTo(ben)).find((m) => m.Subject.includes('föreslår')), { timeoutMs: 20_000, what: 'the proposal e-mail in Mailpit' });
    expect(mail.Subject).toBe('Ana Andersson föreslår ett case-distribution-uppdrag åt dig');
    const text = await (await fetch(`${testInfra().mailpit.apiUrl}/api/v1/message/${mail.ID}`)).json() as { Text: string; HTML: string };
    expect(text.Text).toContain(`/mandates/${mandateId}`);
    expect(text.Text).toContain('i Support');
    expect(seconds).toBeLessThan(20);
  });

  it('Ben accepts: Ana is told, in her inbox and by e-mail in English', async () => {
    const current = await delegationCall('GET', `/mandates/${mandateId}`, ben);
    const accepted = await delegationCall('POST', `/mandates/${mandateId}/accept`, ben, undefined, { 'If-Match': current.etag ?? '' });
    expect(accepted.status).toBe(200);
    const item = await eventually(async () => (await inboxOf(ana)).find((entry) => entry.title.includes('accepted')), { timeoutMs: 20_000, what: 'the acceptance in Ana’s inbox' });
    expect(item.title).toBe('Ben Berg accepted the case-distribution mandate');
    await eventually(async () => (await mailsTo(ana)).find((m) => m.Subject === 'Ben Berg accepted the case-distribution mandate'), { timeoutMs: 20_000, what: 'the acceptance e-mail' });
    const read = await request(url()).post(`/inbox/${item.id}/read`).set(await as(ana));
    expect(read.body).toMatchObject({ id: item.id, read: true });
    expect((await request(url()).post(`/inbox/${item.id}/read`).set(await as(ben))).status).toBe(404);
  });

  it('POST /notifications to the role goes to Ben while his mandate is active, to his deputy while suspended, to Ana after revocation — each delivery says why', async () => {
    const status = () => authority().mandate(mandateId)?.mandate.status;
    await eventually(() => (status() === 'active' ? true : undefined), { timeoutMs: 60_000, what: 'the mandate active in the local projection' });
    const body = { to: `role:case-distribution@unit:${unitId}`, category: 'cases', template: { subject: 'Queue {{queueId}} needs attention', body: 'Queue {{queueId}} has waited an hour.' }, data: { queueId: 'general' } };

    const toHolder = await sendToRole(body);
    expect(toHolder.status).toBe(202);
    expect(toHolder.body.recipients).toEqual([expect.objectContaining({ personId: ben, basis: 'mandate', mandateId, mandateVersion: expect.any(Number), address: body.to })]);

    // Ben is away (an absence period in the directory, which PersonChanged brings): his deputy is told; back, he is again.
    const away = { absences: [{ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }] };
    expect((await delegationCall('PUT', `/directory/people/${ben}/absences`, 'hr-system', away, {}, ['directory-sync'])).status).toBe(200);
    const whileAway = await eventually(async () => {
      const answer = await send(body);
      return answer.body.recipients?.[0]?.personId === cleo ? answer : undefined;
    }, { timeoutMs: 30_000, what: "the deputy told while Ben is away" });
    expect(whileAway.body.recipients).toEqual([expect.objectContaining({ personId: cleo, basis: 'deputy', mandateId })]);
    expect((await delegationCall('PUT', `/directory/people/${ben}/absences`, 'hr-system', { absences: [] }, {}, ['directory-sync'])).status).toBe(200);
    await eventually(async () => ((await send(body)).body.recipients?.[0]?.personId === ben ? true : undefined), { timeoutMs: 30_000, what: 'Ben told again once back' });

    const current = await delegationCall('GET', `/mandates/${mandateId}`, ana);
    expect((await delegationCall('POST', `/mandates/${mandateId}/suspend`, ana, { reason: 'Ben is on leave' }, { 'If-Match': current.etag ?? '' })).status).toBe(200);
    await eventually(() => (status() === 'suspended' ? true : undefined), { timeoutMs: 30_000, what: 'the suspension in the local projection' });
    const toDeputy = await sendToRole(body);
    expect(toDeputy.body.recipients).toEqual([expect.objectContaining({ personId: cleo, basis: 'deputy', mandateId })]);

    const suspended = await delegationCall('GET', `/mandates/${mandateId}`, ana);
    expect((await delegationCall('POST', `/mandates/${mandateId}/revoke`, ana, { reason: 'Reorganisation' }, { 'If-Match': suspended.etag ?? '' })).status).toBe(200);
    await eventually(() => (status() === 'ended' ? true : undefined), { timeoutMs: 30_000, what: 'the revocation in the local projection' });
    const toManager = await sendToRole(body);
    expect(toManager.body.recipients).toEqual([expect.objectContaining({ personId: ana, basis: 'formal-manager', mandateId: null, mandateVersion: null })]);

    // The compliance log has each delivery with its resolution.
    const benLog = await eventually(async () => (await deliveriesOf(ben)).filter((d) => d.basis === 'mandate'), { what: 'Ben’s deliveries in the log' });
    expect(benLog.map((d) => d.mandateId)).toEqual(expect.arrayContaining([mandateId]));
    expect(await eventually(async () => (await deliveriesOf(cleo)).find((d) => d.basis === 'deputy' && d.channel === 'email'), { what: 'Cleo’s deputy delivery' })).toMatchObject({ mandateId });
    expect((await request(url()).get(`/deliveries?recipientId=${ben}`).set(await as(ben))).status).toBe(403);
    // Other departments see the same on Kafka: DeliveryRecorded with the basis, never an address or a text.
    const recorded = await eventually(() => published.find((m) => m.recipientId === cleo && m.basis === 'deputy' && m.channel === 'in-app'), { timeoutMs: 30_000, what: 'DeliveryRecorded of the deputy’s inbox item' });
    expect(recorded).toMatchObject({ kind: 'delivered', mandateId });
    // The deputy's e-mail went out while the mandate was suspended, or — when the revocation reached
    // the service first — was withdrawn at send time and went to Ana instead: duty follows the mandate.
    const mail = await eventually(() => published.find((m) => m.recipientId === cleo && m.basis === 'deputy' && m.channel === 'email'), { timeoutMs: 30_000, what: 'DeliveryRecorded of the deputy’s e-mail' });
    expect(['delivered', 'withdrawn']).toContain(mail.kind);
    expect(JSON.stringify(published)).not.toContain('@example.test');
    // The mandate's end was critical news for Ben, Ana and the deputy.
    await eventually(async () => (await inboxOf(ben)).find((entry) => entry.category === 'mandates' && /upphört/.test(entry.title)), { timeoutMs: 20_000, what: 'the end of the mandate in Ben’s inbox' });
  });

  it('answers the edges: 202 once per Idempotency-Key, 400 for a malformed role address, 403 naming the role, problem+json; OpenAPI and /health list it all', async () => {
    const key = { ...(await as('crm-app', ['system'])), 'Idempotency-Key': randomUUID() };
    const body = { to: ana, category: 'cases', template: { subject: 'Once', body: 'Only once.' } };
    const first = await request(url()).post('/notifications').set(key).send(body);
    const retry = await request(url()).post('/notifications').set(key).send(body);
    expect([first.status, retry.status]).toEqual([202, 202]);
    expect(retry.body.notificationId).toBe(first.body.notificationId);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const malformed = await send({ ...body, to: 'role:case-distribution' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    // Someone the directory does not know: 422 naming them, and nothing accepted (the key's notification does not exist).
    const ghost = `ghost-${run}`;
    const ghostKey = { ...(await as('crm-app', ['system'])), 'Idempotency-Key': randomUUID() };
    const unknown = await request(url()).post('/notifications').set(ghostKey).send({ ...body, to: [ana, ghost] });
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ rule: 'notification.recipient-unknown', details: { personIds: [ghost] }, detail: expect.stringContaining(ghost) });
    // The id the request would have had (the controller derives it from the caller's scoped key).
    const requestId = (key: string) => notificationIdForRequest('crm-app', `crm-app:POST:/notifications:${key}`);
    const ghostId = requestId(ghostKey['Idempotency-Key']);
    expect((await request(url()).get(`/notifications/${ghostId}`).set(await as('compliance-officer', ['compliance']))).status).toBe(404);
    // The same key for a request to known people only: accepted, under that id (so the 404 above was about it).
    const corrected = await request(url()).post('/notifications').set(ghostKey).send({ ...body, to: [ana] });
    expect(corrected.status).toBe(202);
    expect(corrected.body.notificationId).toBe(ghostId);
    const forbidden = await request(url()).post('/notifications').set(await as(ben)).send(body);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('system or notifier');
    expect((await request(url()).get('/inbox')).status).toBe(401);
    const docs = await request(url()).get('/docs-json');
    expect(Object.keys(docs.body.paths as object)).toEqual(expect.arrayContaining(['/inbox', '/inbox/stream', '/inbox/read-all', '/inbox/{id}/read', '/preferences', '/notifications', '/webhooks', '/webhooks/{id}', '/webhooks/{id}/disable', '/webhooks/{id}/enable', '/webhooks/{id}/deliveries', '/webhooks/{id}/deliveries/{deliveryId}/replay', '/deliveries']));
    const health = await eventually(async () => {
      const response = await request(url()).get('/health');
      return response.status === 200 ? response : undefined;
    }, { what: '/health 200 (the authority check is up once its projection has read the delegation topics)', timeoutMs: 180_000 });
    expect(Object.keys(health.body.info ?? {})).toEqual(expect.arrayContaining(['event-store', 'mongodb', 'dispatcher', 'smtp', 'sources', 'directory', 'authority', 'relay']));

    // The authority consumer reports the mandates past the freshness bound (as in a Kafka outage; the
    // real outage is the authority library's freshness spec): a role is not resolved from them —
    // 503 with Retry-After, nothing accepted — and the same request with the same key goes through once fresh.
    const consumer = service?.app.get(AuthorityConsumer);
    if (!consumer) throw new Error('no authority consumer');
    const measured = consumer.freshness.bind(consumer);
    const stale = jest.spyOn(consumer, 'freshness').mockImplementation(() => ({ ...measured(), fresh: false, stalenessMs: 4_200, reason: 'consumer is reconnecting' }));
    const roleKey = { ...(await as('crm-app', ['system'])), 'Idempotency-Key': randomUUID() };
    const roleBody = { to: `role:case-distribution@unit:${unitId}`, category: 'cases', template: { subject: 'Stale?', body: 'Resolved only from fresh mandates.' } };
    const refused = await request(url()).post('/notifications').set(roleKey).send(roleBody);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ stalenessMs: 4_200, detail: expect.stringMatching(/^Role addresses are resolved from the mandates in force, but .* 4200 ms behind/) });
    const roleId = requestId(roleKey['Idempotency-Key']);
    expect((await request(url()).get(`/notifications/${roleId}`).set(await as('compliance-officer', ['compliance']))).status).toBe(404);
    stale.mockRestore();
    const accepted = await request(url()).post('/notifications').set(roleKey).send(roleBody);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ notificationId: roleId, recipients: [expect.objectContaining({ personId: ana, basis: 'formal-manager' })], unresolved: [] });
  });

  it('webhooks: signed deliveries the standardwebhooks verifier accepts; a receiver answering 500 gets retries, then the dead letter; replay sends it again', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const good: Received[] = [];
    const bad: Received[] = [];
    const listen = (store: Received[], status: number) =>
      new Promise<number>((resolve) => {
        const server = createServer((req, res) => {
          let body = '';
          req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          req.on('end', () => {
            store.push({ headers: req.headers, body });
            res.writeHead(status).end();
          });
        });
        receivers.push(server);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      });
    const [goodPort, badPort] = await Promise.all([listen(good, 204), listen(bad, 500)]);
    const admin = await as('it-admin', ['admin']);
    const created = await request(url()).put(`/webhooks/hr-${run}`).set(admin).send({ url: `http://127.0.0.1:${goodPort}/hook`, eventTypes: ['api.hr'], secret });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    const generated = await request(url()).put(`/webhooks/broken-${run}`).set(admin).send({ url: `http://127.0.0.1:${badPort}/hook`, eventTypes: ['api.hr'] });
    expect(generated.body.secret).toMatch(/^whsec_/);
    expect((await request(url()).put(`/webhooks/x-${run}`).set(await as(ben)).send({ url: 'https://x.example/h', eventTypes: ['*'] })).status).toBe(403);

    expect((await send({ to: ben, category: 'hr', template: { subject: 'Contract {{contractId}} renewed', body: 'Renewed.' }, data: { contractId: 'c-7' } })).status).toBe(202);
    const delivered = await eventually(() => good[0], { timeoutMs: 20_000, what: 'the signed request at the receiver' });
    const payload = new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>) as { type: string; data: { subject: string; facts: Record<string, unknown> } };
    expect(payload).toMatchObject({ type: 'api.hr', data: { subject: 'Contract c-7 renewed', facts: { contractId: 'c-7' } } });
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(delivered.body, delivered.headers as Record<string, string>)).toThrow();

    const log = await eventually(
      async () => {
        const entries = (await request(url()).get(`/webhooks/broken-${run}/deliveries`).set(admin)).body.items as { deliveryId: string; status: string; attempts: number; lastResponseCode: number }[];
        return entries.find((e) => e.status === 'dead-lettered');
      },
      { timeoutMs: 30_000, what: 'the dead letter of the broken receiver' },
    );
    expect(log).toMatchObject({ attempts: 3, lastResponseCode: 500 });
    expect(bad).toHaveLength(3);
    expect(new Set(bad.map((r) => r.headers['webhook-id']))).toEqual(new Set([log.deliveryId]));
    expect((await request(url()).get(`/webhooks/hr-${run}/deliveries`).set(admin)).body.items).toEqual([expect.objectContaining({ status: 'delivered', lastResponseCode: 204 })]);

    const replay = await request(url()).post(`/webhooks/broken-${run}/deliveries/${log.deliveryId}/replay`).set(admin);
    expect(replay.status).toBe(202);
    await eventually(() => (bad.length >= 4 ? true : undefined), { timeoutMs: 20_000, what: 'the replayed request' });

    // Disabled (a reason is required): listed as such, and sent nothing until enabled again.
    expect((await request(url()).post(`/webhooks/broken-${run}/disable`).set(admin).send({})).status).toBe(400);
    const disabled = await request(url()).post(`/webhooks/broken-${run}/disable`).set(admin).send({ reason: 'the receiver is being rebuilt' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ webhookId: `broken-${run}`, status: 'disabled' });
    const listed = await request(url()).get('/webhooks').set(admin);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ webhookId: `broken-${run}`, status: 'disabled' }), expect.objectContaining({ webhookId: `hr-${run}`, status: 'enabled', secretsInForce: 1 })]));
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((await request(url()).get('/webhooks').set(await as(ben))).status).toBe(403);
    expect((await request(url()).post(`/webhooks/nobody-${run}/enable`).set(admin)).status).toBe(404);
    expect((await request(url()).post(`/webhooks/broken-${run}/enable`).set(admin)).body).toMatchObject({ status: 'enabled' });
  });

  it('SMTP down: e-mails are retried, none lost, none doubled once the server is back', async () => {
    if (!smtpProxy) throw new Error('no proxy');
    await smtpProxy.stop();
    for (const n of [1, 2, 3]) expect((await send({ to: erik, category: 'alerts', template: { subject: `Alert ${n}`, body: 'Look.' } })).status).toBe(202);
    const retrying = await eventually(
      async () => {
        const log = (await deliveriesOf(erik)).filter((d) => d.channel === 'email');
        return log.length === 3 && log.every((d) => d.status === 'retrying' && d.attempts >= 2) ? log : undefined;
      },
      { timeoutMs: 30_000, what: 'three e-mails retrying while SMTP is down' },
    );
    expect(retrying).toHaveLength(3);
    // The log says why and when next: the SMTP server's refusal, and the back-off's next attempt after the last one.
    for (const d of retrying) {
      expect(d.lastError).toMatch(/ECONNREFUSED|connect|Connection/i);
      expect(Date.parse(d.nextAttemptAt ?? '')).toBeGreaterThan(Date.parse(d.lastAttemptAt ?? ''));
    }
    const health = await request(url()).get('/health');
    expect(health.status).toBe(503);
    expect(JSON.stringify(health.body)).toContain('smtp');
    await smtpProxy.start();
    await eventually(async () => ((await mailsTo(erik)).length === 3 ? true : undefined), { timeoutMs: 30_000, what: 'all three e-mails after SMTP returned' });
    const delivered = await eventually(
      async () => {
        const log = (await deliveriesOf(erik)).filter((d) => d.channel === 'email' && d.status === 'delivered');
        return log.length === 3 ? log : undefined;
      },
      { what: 'the three deliveries recorded' },
    );
    expect(delivered.map((d) => [d.lastError, d.nextAttemptAt])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    await sleep(2_000);
    expect((await mailsTo(erik)).map((m) => m.Subject).sort()).toEqual(['Alert 1', 'Alert 2', 'Alert 3']);
  });

  it('a redelivered source event makes one notification', async () => {
    if (!producer) throw new Error('no producer');
    const message = encodeCloudEvent(MandateReminderDue, {
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { mandateId, kind: 'review-reminder', dueAt: new Date().toISOString(), delegateId: ben, delegatorId: ana, daysBefore: null, until: null, occurredAt: new Date().toISOString() },
    });
    const record = { key: message.key, value: message.value, headers: { ...message.headers } };
    await producer.send({ topic: message.topic, messages: [record] });
    await producer.send({ topic: message.topic, messages: [record] });
    const ceId = String(message.headers['ce_id']);
    await eventually(async () => ((await inboxOf(ana)).some((entry) => entry.source.id === ceId) ? true : undefined), { timeoutMs: 30_000, what: `the reminder ${ceId} in Ana’s inbox` }).catch(
      async (error: unknown) => {
        throw new Error(`${String(error)}; Ana's inbox: ${JSON.stringify((await inboxOf(ana)).map((entry) => [entry.source, entry.title]))}`);
      },
    );
    await sleep(2_000);
    expect((await inboxOf(ben)).filter((entry) => entry.source.id === ceId)).toHaveLength(1);
    expect((await inboxOf(ana)).filter((entry) => entry.source.id === ceId)).toHaveLength(1);
  });

  it('quiet hours hold an e-mail until the window ends (the inbox item is there at once)', async () => {
    const now = clock();
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const windowEnd = new Date(minute.getTime() + 3 * 60_000);
    const preferences = { timeZone: 'UTC', quietHours: { from: hhmm(new Date(minute.getTime() - 60_000)), to: hhmm(windowEnd), days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, channels: {}, digest: {} };
    const put = await request(url()).put('/preferences').set(await as(dan)).send(preferences);
    expect(put.status).toBe(200);
    expect((await request(url()).get('/preferences').set(await as(dan))).body).toMatchObject({ ...preferences, isDefault: false });

    expect((await send({ to: dan, category: 'cases', template: { subject: 'Quiet please', body: 'After the quiet hours.' } })).status).toBe(202);
    const held = await eventually(async () => (await deliveriesOf(dan)).find((d) => d.channel === 'email'), { what: 'the held e-mail in the log' });
    expect(held).toMatchObject({ status: 'scheduled', plannedAt: windowEnd.toISOString() });
    await eventually(async () => (await inboxOf(dan)).find((entry) => entry.title === 'Quiet please'), { what: 'the inbox item' });
    await sleep(1_500);
    expect((await mailsTo(dan)).find((m) => m.Subject === 'Quiet please')).toBeUndefined();

    offsetMs += windowEnd.getTime() - now.getTime() + 1_000;
    await eventually(async () => (await mailsTo(dan)).find((m) => m.Subject === 'Quiet please'), { timeoutMs: 20_000, what: 'the e-mail after the quiet hours' });
  });

  it('an hourly digest sends one e-mail for five events, once, although the service restarts mid-window', async () => {
    const preferences = { timeZone: 'UTC', quietHours: null, channels: {}, digest: { reports: 'hourly' } };
    expect((await request(url()).put('/preferences').set(await as(cleo)).send(preferences)).status).toBe(200);
    for (const n of [1, 2, 3, 4, 5]) expect((await send({ to: cleo, category: 'reports', template: { subject: `Report ${n}`, body: 'Numbers.' } })).status).toBe(202);
    const waiting = await eventually(
      async () => {
        const log = (await deliveriesOf(cleo)).filter((d) => d.channel === 'email' && d.status === 'digest');
        return log.length === 5 ? log : undefined;
      },
      { what: 'five e-mails waiting for the digest' },
    );
    const closesAt = Date.parse(waiting[0]?.plannedAt ?? '');
    const before = (await mailsTo(cleo)).length;

    // Restart mid-window: the board is rebuilt from the store.
    await service?.close();
    service = await startService(notificationsService(config, serviceOptions));

    offsetMs += closesAt - clock().getTime() + 1_000;
    const digest = await eventually(async () => (await mailsTo(cleo)).find((m) => m.Subject === '5 notifications since your last summary'), { timeoutMs: 30_000, what: 'the digest e-mail' });
    const text = (await (await fetch(`${testInfra().mailpit.apiUrl}/api/v1/message/${digest.ID}`)).json()) as { Text: string };
    for (const n of [1, 2, 3, 4, 5]) expect(text.Text).toContain(`- Report ${n}`);
    await eventually(async () => ((await deliveriesOf(cleo)).filter((d) => d.channel === 'email' && d.status === 'digest').length === 0 ? true : undefined), { what: 'the digest’s items recorded delivered' });
    await sleep(2_000);
    const after = await mailsTo(cleo);
    expect(after.filter((m) => m.Subject.includes('notifications since'))).toHaveLength(1);
    expect(after.filter((m) => m.Subject.startsWith('Report '))).toHaveLength(0);
    expect(after.length).toBe(before + 1);
  });

  it('the service as its own process, SIGKILLed mid-window and restarted (twice): the hourly digest goes out once', async () => {
    if (!delegation) throw new Error('no delegation service');
    const infra = testInfra();
    const groups = { authority: uniqueName('np-authority'), sources: uniqueName('np-sources'), directory: uniqueName('np-directory') };
    const start = (clockOffsetMs: number) =>
      startServiceProcess({
        name: 'notifications',
        env: {
          NOTIFICATIONS_EVENT_STORE: join(dir, 'notifications-process.sqlite'),
          MONGO_URI: infra.mongo.uri,
          NOTIFICATIONS_MONGO_DB: processDb,
          KAFKA_BROKERS: brokers,
          AUTH_MODE: 'dev',
          AUTH_DEV_KEY_FILE: keyFile,
          SMTP_HOST: infra.smtp.host,
          SMTP_PORT: String(infra.smtp.port),
          NOTIFICATIONS_DIRECTORY_URL: delegation?.url ?? '',
          NOTIFICATIONS_AUTHORITY_GROUP: groups.authority,
          NOTIFICATIONS_CONSUMER_GROUP: groups.sources,
          NOTIFICATIONS_DIRECTORY_GROUP: groups.directory,
          NOTIFICATIONS_CLOCK_OFFSET_MS: String(clockOffsetMs),
          LOG_LEVEL: 'warn',
        },
      });
    const call = async (method: string, path: string, sub: string, roles: string[], body?: unknown) => {
      if (!notificationsProcess) throw new Error('not running');
      const response = await fetch(`${notificationsProcess.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${await token(sub, roles)}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const digestMails = async () => (await mailsTo(gus)).filter((m) => m.Subject === '5 notifications since your last summary');

    notificationsProcess = await start(0);
    expect((await call('PUT', '/preferences', gus, [], { timeZone: 'UTC', quietHours: null, channels: {}, digest: { reports: 'hourly' } })).status).toBe(200);
    for (const n of [1, 2, 3, 4, 5]) expect((await call('POST', '/notifications', 'crm-app', ['system'], { to: gus, category: 'reports', template: { subject: `Report ${n}`, body: 'Numbers.' } })).status).toBe(202);
    const waiting = await eventually(
      async () => {
        const items = ((await call('GET', `/deliveries?recipientId=${gus}`, 'compliance-officer', ['compliance'])).body['items'] ?? []) as { channel: string; status: string; plannedAt: string }[];
        const digest = items.filter((d) => d.channel === 'email' && d.status === 'digest');
        return digest.length === 5 ? digest : undefined;
      },
      { what: 'five e-mails waiting for the digest (process)' },
    );
    await sleep(1_500);
    await notificationsProcess.kill();

    // Restarted with its clock past the window's end: the board is rebuilt from the store and the digest released.
    const closesAt = Date.parse(waiting[0]?.plannedAt ?? '');
    const offset = closesAt - Date.now() + 2_000;
    notificationsProcess = await start(offset);
    await eventually(async () => ((await digestMails()).length > 0 ? true : undefined), { timeoutMs: 60_000, what: 'the digest e-mail from the restarted process' });
    await notificationsProcess.kill();
    notificationsProcess = await start(offset);
    await sleep(3_000);
    expect(await digestMails()).toHaveLength(1);
    expect((await mailsTo(gus)).filter((m) => m.Subject.startsWith('Report '))).toHaveLength(0);
    await notificationsProcess.stop();
  });
});
