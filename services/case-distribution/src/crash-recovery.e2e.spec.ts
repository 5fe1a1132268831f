import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { verifyIntegrity } from '@leadership/audit';
import { DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG, DelegationRelayProgress, DIRECTORY_TOPIC, MANDATES_TOPIC, UnitChanged } from '@leadership/delegation-contracts';
import type { RecordedEvent } from '@leadership/event-store';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { issueDevToken } from '@leadership/platform-nest';
import { openReadOnlyEventStore } from '@leadership/platform-runtime';
import { eventually, startDedicatedKafka, startRelayProgressStandIn, startServiceProcess, testInfra, uniqueName, type DedicatedKafka, type RelayProgressStandIn, type ServiceProcess } from '@leadership/testing';

/*
 * Failure test: the case distribution service as its own process (as `npm start` runs it), killed
 * with SIGKILL while it takes cases in, while its dispatcher is offering, and while agents accept
 * and resolve; restarted each time on the same SQLite event store file and MongoDB database.
 *
 * What must hold, judged from the event store file itself (opened read-only) by an oracle written
 * here, independent of the service's deciders and board:
 * - every case acknowledged with 201 exists, registered once; a client that retries the requests
 *   the crash cut off, with their Idempotency-Keys, gets exactly one case per key;
 * - a case is never offered while it is offered or assigned to someone, never assigned twice,
 *   never escalated to the formal manager twice;
 * - no agent ever holds more load units (offered + assigned, weighted by channel) than capacity;
 * - after each restart routing carries on by itself until every case that fits an agent's spare
 *   capacity is offered; the board the API shows agrees with the store; the hash chains verify.
 * Timing is left to `eventually`; nothing here asserts speed.
 */

const AGENTS = 30;
const CASES = 300;
/** Capacities 2..6 (120 units in all); e-mail weighs 2 and chat 1, so a third of the cases weigh 2: far more work than room. */
const capacityOf = (index: number): number => 2 + (index % 5);
const CHANNEL_WEIGHTS: Readonly<Record<string, number>> = { email: 2, chat: 1 };
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

interface CaseHistory {
  registrations: number;
  weight: number;
  holder: { readonly agentId: string; readonly state: 'offered' | 'assigned' } | null;
  assignments: number;
  escalations: number;
  resolved: boolean;
}

/** What the store says happened, and every rule it shows broken. */
interface RoutingAudit {
  readonly cases: ReadonlyMap<string, CaseHistory>;
  readonly load: ReadonlyMap<string, number>;
  readonly offers: number;
  readonly violations: readonly string[];
}

/**
 * Replays the case streams in $all order: holders, loads, and a violation for every offer to a
 * held case, every second assignment or escalation, every answer to an offer nobody held, and
 * every moment an agent held more than their capacity.
 */
function auditRouting(events: readonly RecordedEvent[], capacities: ReadonlyMap<string, number>): RoutingAudit {
  const cases = new Map<string, CaseHistory>();
  const load = new Map<string, number>();
  const violations: string[] = [];
  let offers = 0;
  const take = (caseId: string, history: CaseHistory, agentId: string) => {
    const units = (load.get(agentId) ?? 0) + history.weight;
    load.set(agentId, units);
    const capacity = capacities.get(agentId);
    if (capacity === undefined) violations.push(`case ${caseId} went to ${agentId}, who is not an agent of the queue`);
    else if (units > capacity) violations.push(`${agentId} held ${units} units with capacity ${capacity} (case ${caseId})`);
  };
  const release = (history: CaseHistory) => {
    if (history.holder) load.set(history.holder.agentId, (load.get(history.holder.agentId) ?? 0) - history.weight);
    history.holder = null;
  };
  for (const event of events) {
    if (!event.streamName.startsWith('case-')) continue;
    const data = event.data as { caseId: string; agentId?: string; channel?: string; to?: { formalManager?: true } };
    const caseId = data.caseId;
    const history = cases.get(caseId);
    if (event.type === 'CaseRegistered') {
      if (history) {
        history.registrations++;
        violations.push(`case ${caseId} registered ${history.registrations} times`);
      } else {
        cases.set(caseId, { registrations: 1, weight: CHANNEL_WEIGHTS[data.channel ?? ''] ?? 1, holder: null, assignments: 0, escalations: 0, resolved: false });
      }
      continue;
    }
    if (!history) {
      violations.push(`${event.type} on case ${caseId}, which was never registered`);
      continue;
    }
    const agentId = data.agentId ?? '';
    switch (event.type) {
      case 'CaseOffered':
        offers++;
        if (history.resolved) violations.push(`case ${caseId} offered after it was resolved`);
        if (history.holder) violations.push(`case ${caseId} offered to ${agentId} while ${history.holder.state} to ${history.holder.agentId}`);
        release(history);
        history.holder = { agentId, state: 'offered' };
        take(caseId, history, agentId);
        break;
      case 'CaseOfferAccepted':
        if (history.holder?.state !== 'offered' || history.holder.agentId !== agentId) violations.push(`case ${caseId} accepted by ${agentId} without a pending offer to them`);
        history.assignments++;
        if (history.assignments > 1) violations.push(`case ${caseId} assigned ${history.assignments} times`);
        if (history.holder) history.holder = { agentId: history.holder.agentId, state: 'assigned' };
        break;
      case 'CaseOfferDeclined':
      case 'CaseOfferExpired':
        if (history.holder?.state !== 'offered' || history.holder.agentId !== agentId) violations.push(`case ${caseId}: ${event.type} by ${agentId} without a pending offer to them`);
        release(history);
        break;
      case 'CaseAssigned':
      case 'CaseReassigned':
        // Nobody assigns by hand in this test: a manual assignment here is the service's own doing.
        violations.push(`case ${caseId}: unexpected ${event.type}`);
        break;
      case 'CaseOverflowed':
        if (data.to?.formalManager) history.escalations++;
        if (history.escalations > 1) violations.push(`case ${caseId} escalated to the formal manager ${history.escalations} times`);
        if (history.holder) violations.push(`case ${caseId} overflowed while ${history.holder.state} to ${history.holder.agentId}`);
        break;
      case 'CaseResolved':
        if (history.holder?.state !== 'assigned') violations.push(`case ${caseId} resolved while not assigned`);
        release(history);
        history.resolved = true;
        break;
      default:
        break;
    }
  }
  return { cases, load, offers, violations };
}

/** Cases waiting although some agent has room for them (every agent is available here, none absent). */
function offerableButWaiting(audit: RoutingAudit, capacities: ReadonlyMap<string, number>): string[] {
  const spare = [...capacities].map(([agentId, capacity]) => capacity - (audit.load.get(agentId) ?? 0));
  const best = Math.max(...spare);
  return [...audit.cases].filter(([, history]) => history.holder === null && !history.resolved && history.weight <= best).map(([caseId]) => caseId);
}

describe('case distribution: killed mid-routing, no case lost or double-assigned after restart', () => {
  jest.setTimeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'case-distribution-crash-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const storeFile = join(dir, 'cases.sqlite');
  const run = uniqueName('crash').replace(/[^a-z0-9-]/g, '-');
  const unitId = `support-${run}`;
  const queueId = `general-${run}`;
  const ana = `ana-${run}`;
  const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(2, '0')}-${run}`);
  const capacities = new Map(agents.map((agentId, i) => [agentId, capacityOf(i)]));
  const db = uniqueName('case_distribution_crash').replace(/-/g, '_');
  /** One Idempotency-Key per case the CRM submits. */
  const keys = Array.from({ length: CASES }, (_, i) => `crm-${run}-${i}`);
  /** Key → the case id a 201 named. */
  const acknowledged = new Map<string, string>();
  /** Keys whose request the crash cut off: the client retries them. */
  const interrupted = new Set<string>();
  let service: ServiceProcess | undefined;
  // A broker of its own (as the seed e2e): the service's new authority group reads the whole
  // mandates topic first, and a shared broker carries every earlier suite's mandates.
  let broker: DedicatedKafka | undefined;
  let relayProgress: RelayProgressStandIn | undefined;
  let brokers: string[] = [];

  const env = (infra: ReturnType<typeof testInfra>): Record<string, string> => ({
    CASE_DISTRIBUTION_EVENT_STORE: storeFile,
    MONGO_URI: infra.mongo.uri,
    CASE_DISTRIBUTION_MONGO_DB: db,
    KAFKA_BROKERS: brokers.join(','),
    CASE_DISTRIBUTION_AUTHORITY_GROUP: `${run}-authority`,
    CASE_DISTRIBUTION_INTAKE_GROUP: `${run}-intake`,
    CASE_DISTRIBUTION_ONBOARDING_GROUP: `${run}-onboarding`,
    CASE_DISTRIBUTION_ROUTING_INTERVAL_MS: '100',
    AUTH_MODE: 'dev',
    AUTH_DEV_KEY_FILE: keyFile,
    LOG_LEVEL: 'warn',
  });
  const start = async () => {
    service = await startServiceProcess({ name: 'case-distribution', env: env(testInfra()) });
  };
  const url = (): string => {
    if (!service) throw new Error('the case distribution service is not running');
    return service.url;
  };
  const call = async (method: string, path: string, sub: string, body?: unknown, headers: Record<string, string> = {}, roles: string[] = []) => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await issueDevToken({ sub, roles, keyFile })}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const caseBody = (index: number) => ({ queueId, title: `Case ${index}`, priority: PRIORITIES[index % 4], channel: index % 3 === 0 ? 'email' : 'chat' });
  const register = (key: string) => call('POST', '/cases', 'crm-app', caseBody(keys.indexOf(key)), { 'Idempotency-Key': key }, ['system']);

  /** The store as the crashed (or running) process left it, read through a read-only connection. */
  const readStore = async () => {
    const store = openReadOnlyEventStore({ kind: 'sqlite', file: storeFile });
    try {
      const events = await store.readAll({ filter: { streamCategories: ['case'] } });
      return { events, audit: auditRouting(events, capacities), integrity: await verifyIntegrity(store) };
    } finally {
      await store.close();
    }
  };
  /** Runs `work` over `items`, `width` at a time. */
  const pool = async <T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < items.length) await work(items[next++] as T);
      }),
    );
  };
  /** Routing done: nothing offerable waits; the audit of that moment. */
  const settled = (what: string) =>
    eventually(
      async () => {
        const state = await readStore();
        return offerableButWaiting(state.audit, capacities).length === 0 && state.audit.offers > 0 ? state : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what },
    );
  const expectSound = (state: Awaited<ReturnType<typeof readStore>>) => {
    expect(state.audit.violations).toEqual([]);
    expect(state.integrity.problems).toEqual([]);
    for (const [agentId, capacity] of capacities) expect(state.audit.load.get(agentId) ?? 0).toBeLessThanOrEqual(capacity);
  };

  beforeAll(async () => {
    broker = await startDedicatedKafka({ name: 'case-distribution-crash-e2e', port: 19692 });
    await broker.start();
    brokers = [...broker.brokers];
    const kafka = new Kafka({ clientId: 'crash-e2e', brokers, logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
      DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
    ]);
    // No delegation service here: the suite publishes the unit itself (awaiting the ack), and a
    // stand-in reports the relay's progress, without which the authority projection is never fresh.
    relayProgress = await startRelayProgressStandIn(kafka, (at) =>
      encodeCloudEvent(DelegationRelayProgress, { id: randomUUID(), time: at.toISOString(), data: { coveredUntil: at.toISOString(), position: null, relay: 'delegation' } }),
    );
    // Ana is the formal manager of the unit, as the delegation service would publish it.
    const unit = encodeCloudEvent(UnitChanged, {
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { unitId, version: 0, name: 'Support', parentId: null, managerIds: [ana], removedManagerIds: [], occurredAt: new Date().toISOString() },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: unit.topic, messages: [{ key: unit.key, value: unit.value, headers: { ...unit.headers } }] });
    await producer.disconnect();
    await issueDevToken({ sub: 'setup', roles: [], keyFile });
    await start();
  });

  afterAll(async () => {
    await service?.stop();
    await relayProgress?.stop();
    await broker?.stop();
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await client.db(db).dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('Ana sets up the queue and its 30 agents (capacity 2-6; all offline for now)', async () => {
    const sla = { firstResponseMinutes: 600, resolutionMinutes: 6000 };
    // Her authority reaches the process over Kafka; until then the answer is 403 (or 503 while it catches up).
    await eventually(
      async () => {
        const queue = await call('PUT', `/queues/${queueId}`, ana, {
          unitId,
          name: 'General',
          routing: { mode: 'most-available', pushTimeoutSeconds: 3600, skillRelaxationSeconds: 0 },
          sla: { P1: sla, P2: sla, P3: sla, P4: sla },
          channelWeights: CHANNEL_WEIGHTS,
        });
        return queue.status === 201 || queue.status === 200 ? queue : undefined;
      },
      // Generous: the projection must also be fresh (1 s bound), which a loaded machine delays.
      { timeoutMs: 240_000, intervalMs: 1_000, what: "Ana's formal-manager authority in the service's projection" },
    );
    // One after another: each changes the queue's stream, and concurrent changes would meet 409s.
    for (const agentId of agents) expect((await call('PUT', `/queues/${queueId}/agents/${agentId}`, ana, { capacity: capacities.get(agentId), skills: [] })).status).toBe(200);
  });

  it('killed during intake: every acknowledged case is there after the restart, once', async () => {
    const killAfter = Math.floor(CASES / 3);
    let killing: Promise<void> | undefined;
    await pool(keys, 6, async (key) => {
      if (killing) {
        interrupted.add(key);
        return;
      }
      try {
        const response = await register(key);
        if (response.status === 201) acknowledged.set(key, String(response.body['caseId']));
        else interrupted.add(key);
      } catch {
        interrupted.add(key); // the connection died with the process
      }
      if (acknowledged.size >= killAfter && !killing) killing = service?.kill();
    });
    await killing;
    expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);
    expect(interrupted.size).toBeGreaterThan(0);

    const crashed = await readStore();
    for (const caseId of acknowledged.values()) expect(crashed.audit.cases.get(caseId)?.registrations).toBe(1);
    expect(crashed.audit.violations).toEqual([]);

    await start();
    // The client retries what the crash cut off, with the same keys. A request the process died
    // in holds its key as pending for a minute (platform idempotency: 409 + Retry-After); those
    // are retried again at the end.
    for (const key of [...interrupted]) {
      const retry = await register(key);
      if (retry.status === 201) {
        acknowledged.set(key, String(retry.body['caseId']));
        interrupted.delete(key);
      } else expect(retry.status).toBe(409);
    }
    const restarted = await readStore();
    for (const caseId of acknowledged.values()) expect(restarted.audit.cases.get(caseId)?.registrations).toBe(1);
    expect(restarted.audit.violations).toEqual([]);
  });

  let offeredAtKill = 0;

  it('killed while the dispatcher is offering: no case offered twice, nobody over capacity; routing resumes after the restart', async () => {
    // The agents come back from a meeting together, so one routing pass has the whole backlog to offer.
    const from = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 20_000);
    await pool(agents, 5, async (agentId) => {
      expect((await call('POST', `/agents/${agentId}/absences`, agentId, { from, to: until.toISOString() })).status).toBe(201);
      expect((await call('PUT', `/agents/${agentId}/presence`, agentId, { status: 'available' })).status).toBe(200);
    });
    const absent = await readStore();
    if (Date.now() < until.getTime()) expect(absent.audit.offers).toBe(0);

    // Kill as soon as a dozen offers are in: the pass is still going (about a hundred are due).
    const store = openReadOnlyEventStore({ kind: 'sqlite', file: storeFile });
    try {
      let after = absent.events.at(-1)?.position;
      const deadline = until.getTime() + 60_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`no routing pass after the agents' absence ended (${offeredAtKill} offers):\n${service?.logTail() ?? ''}`);
        const page = await store.readAll({ ...(after !== undefined ? { after } : {}), filter: { eventTypes: ['CaseOffered'] } });
        offeredAtKill += page.length;
        after = page.at(-1)?.position ?? after;
        if (offeredAtKill >= 12) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await service?.kill();
    } finally {
      await store.close();
    }
    const crashed = await readStore();
    expectSound(crashed);
    offeredAtKill = crashed.audit.offers;

    await start();
    const done = await settled('routing to carry on after the restart until nothing offerable waits');
    expectSound(done);
    expect(done.audit.offers).toBeGreaterThan(offeredAtKill);
    // The board the API shows is rebuilt from the same store. Read by compliance (no mandate needed):
    // a manager's read waits for the authority projection to be fresh again, which after a SIGKILL
    // takes until the broker gives up on the dead group member, longer on a loaded machine.
    const board = await call('GET', `/queues/${queueId}/board`, 'auditor', undefined, {}, ['compliance']);
    expect(board.status).toBe(200);
    const shown = new Map((board.body['agents'] as { personId: string; load: number }[]).map((a) => [a.personId, a.load]));
    for (const agentId of agents) expect(shown.get(agentId)).toBe(done.audit.load.get(agentId) ?? 0);
    const waiting = [...done.audit.cases.values()].filter((c) => c.holder === null && !c.resolved).length;
    expect((board.body['backlog'] as { total: number }).total).toBe(waiting);
  });

  it('killed while agents accept and resolve: the freed capacity goes to the backlog after the restart, still nobody over capacity', async () => {
    const before = await readStore();
    const offered = [...before.audit.cases].filter(([, c]) => c.holder?.state === 'offered').map(([caseId, c]) => ({ caseId, agentId: c.holder?.agentId ?? '' }));
    let handled = 0;
    let killing: Promise<void> | undefined;
    await pool(offered, 6, async ({ caseId, agentId }) => {
      if (killing) return;
      try {
        const accepted = await call('POST', `/cases/${caseId}/offer/accept`, agentId);
        if (accepted.status !== 200) return;
        const resolved = await call('POST', `/cases/${caseId}/resolve`, agentId, { resolution: 'done' });
        if (resolved.status === 200) handled++;
      } catch {
        return; // the process is gone
      }
      // Resolutions free capacity, so the dispatcher offers again meanwhile: kill in the middle of that.
      if (handled >= offered.length / 2 && !killing) killing = service?.kill();
    });
    await killing;
    expectSound(await readStore());

    await start();
    const done = await settled('the backlog picked up after the second restart');
    expectSound(done);
    expect([...done.audit.cases.values()].filter((c) => c.resolved).length).toBeGreaterThanOrEqual(handled);
    expect(done.audit.offers).toBeGreaterThan(before.audit.offers);
  });

  it('client retries of the interrupted requests make exactly one case each; all cases accounted for', async () => {
    for (const key of [...interrupted]) {
      // A key left pending by the crash is free again after the platform's takeover time (60 s).
      const retry = await eventually(
        async () => {
          const response = await register(key);
          return response.status === 201 ? response : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000, what: `the retry of ${key}` },
      );
      acknowledged.set(key, String(retry.body['caseId']));
      interrupted.delete(key);
    }
    const done = await settled('routing of the retried cases');
    expectSound(done);
    // One case per key: a retry that made a second case would show as a case no key names.
    expect(new Set(acknowledged.values()).size).toBe(CASES);
    expect(done.audit.cases.size).toBe(CASES);
    for (const caseId of acknowledged.values()) expect(done.audit.cases.get(caseId)?.registrations).toBe(1);
    expect(offeredAtKill).toBeGreaterThan(0);
  });
});
