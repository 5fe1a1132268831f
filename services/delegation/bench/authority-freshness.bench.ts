/*
 * npm run bench -- authority-freshness
 *
 * How long a revoked mandate keeps granting authority (issue #11, must-show): the time from a
 * committed revoke (its 200) to the first `allowed: false`, under the mandate-commands load,
 *   (a) from the delegation service's own GET /authority/check (authority now is answered from
 *       the units and mandates folded from its local event store, caught up before each answer), and
 *   (b) from another service's local projection (libs/authority: the delegation topics over
 *       Kafka, applied by an AuthorityConsumer in a small Nest app, as case distribution runs it;
 *       with its freshness — how stale the consumer reckons itself against the delegation event
 *       store (probes of the topics and the relay's progress reports, every 100 ms), which
 *       `mayFresh` and the guard refuse grants past — at each sample),
 * against the bare append latency of the same store kind on the same disk in the same run (a raw
 * hash-chained SQLite append: the physical floor of "committed"). p50/p99; the bar is p99 ≤ 1 s.
 *
 * The service runs in-process (startDelegationService: SQLite event store, FerretDB read model,
 * scheduler, relay to Kafka); FerretDB of `npm run infra` is started when missing. Kafka is a broker
 * of the bench's own (port 19792) whose delegation topics are deleted first: a new authority group
 * reads them from the beginning before it may grant, and the shared dev broker holds every earlier
 * suite's mandates (minutes of catch-up, not what this bench measures).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { AuthorityModule, AuthorityProjection, connectAuthorityConsumer } from '@leadership/authority';
import { HashChainedEventStore } from '@leadership/audit';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { createHttpService, issueDevToken, PlatformModule } from '@leadership/platform-nest';
import { Kafka, logLevel } from 'kafkajs';
import { DIRECTORY_TOPIC, MANDATE_REMINDERS_TOPIC, MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { percentile, reportBench, rerunWithDecoratorMetadata, round, startDedicatedKafka, uniqueName } from '@leadership/testing';
import { startDelegationService, type DelegationRuntime } from '../src/delegation.app';
import type { DelegationConfig } from '../src/delegation.config';
import { call, drive, dropReadModel, setUpParties, type Parties } from './delegation-load';

/** Revokes measured (one at a time, while the load runs). */
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 40);
const LOAD = { concurrency: 8, capMs: 10 * 60_000 };
/** Give up on one sample after this long (counted as a miss, reported). */
const SAMPLE_LIMIT_MS = 30_000;
const APPENDS = 300;
/** All target mandates must be active and granted on both sides within this long. */
const SETUP_LIMIT_MS = 120_000;

/** Another service's process, reduced to the authority module and its Kafka consumer. */
async function startConsumerService(keyFile: string, infra: ReturnType<typeof loadInfraConfig>, brokers: readonly string[], dbName: string): Promise<INestApplication> {
  @Module({
    imports: [
      PlatformModule.forRoot({ serviceName: 'freshness-consumer', auth: { mode: 'dev', keyFile } }),
      AuthorityModule.forRoot({
        kafka: { brokers: [...brokers] },
        mongo: { uri: `mongodb://${infra.host}:${infra.ports.mongo}/`, dbName },
        group: uniqueName('freshness-bench'),
        // Joins after reading both delegation topics from the beginning.
        waitForKafkaMs: 60_000,
      }),
    ],
  })
  class ConsumerModule {}
  const app = await createHttpService(ConsumerModule, { serviceName: 'freshness-consumer', title: 't', description: 'd', version: '1' });
  connectAuthorityConsumer(app);
  await app.init();
  await app.startAllMicroservices();
  return app;
}

/** ms per raw hash-chained append of a ~700-byte event on the same disk (the floor of "committed"). */
async function bareAppends(dir: string): Promise<number[]> {
  const store = new HashChainedEventStore(new SqliteEventStore(join(dir, 'bare.sqlite')));
  const took: number[] = [];
  try {
    for (let i = 0; i < APPENDS; i++) {
      const began = process.hrtime.bigint();
      await store.appendToStream(`delegation-bare-${i}`, [{ type: 'MandateRevoked', data: { mandateId: `bare-${i}`, actorId: 'bench-manager', at: new Date().toISOString(), reason: 'x'.repeat(600) }, metadata: { eventId: randomUUID() } }], 'no_stream');
      took.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
  } finally {
    await store.close();
  }
  return took;
}

interface Target {
  readonly mandateId: string;
  readonly delegateId: string;
  readonly delegateToken: string;
}

/** SAMPLES active coordination mandates (accepted; the scheduler activates them at `from`). */
async function activeMandates(agent: Agent, base: URL, parties: Parties, keyFile: string): Promise<Target[]> {
  const from = Date.now() + 3_000;
  const targets: Target[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const delegate = parties.delegates[i % parties.delegates.length] as Parties['delegates'][number];
    const body = JSON.stringify({
      delegateId: delegate.id,
      taskType: 'coordination',
      scope: { unitId: parties.unitId },
      direction: { purpose: `freshness sample ${i}`, successCriteria: [] },
      framework: { rules: [{ id: 'r1', text: 'Within the team', mode: 'enforce' }], reservedDecisions: [], escalationContactId: 'bench-head' },
      authorities: ['tasks.view-all'],
      period: { from: new Date(from).toISOString(), until: new Date(from + 30 * 86_400_000).toISOString() },
      reviewCadenceDays: 14,
    });
    const proposed = await call(agent, base, '/mandates', { Authorization: `Bearer ${parties.managerToken}` }, body);
    if (proposed.status !== 201) throw new Error(`propose: ${proposed.status} ${proposed.body}`);
    const mandateId = String((JSON.parse(proposed.body) as { mandateId: string }).mandateId);
    const accepted = await call(agent, base, `/mandates/${mandateId}/accept`, { Authorization: `Bearer ${delegate.token}`, 'If-Match': String(proposed.headers['etag']) });
    if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.body}`);
    targets.push({ mandateId, delegateId: delegate.id, delegateToken: await issueDevToken({ sub: delegate.id, keyFile }) });
  }
  return targets;
}

function get(agent: Agent, base: URL, path: string, token: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, method: 'GET', path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, limitMs: number): Promise<T | undefined> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 2));
  }
  return undefined;
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const infra = loadInfraConfig();
  await up(infra, ['ferretdb'], (line) => console.log(`  ${line}`));
  const broker = await startDedicatedKafka({ name: 'freshness-bench', port: 19792 });
  await broker.start();
  const brokers = [...broker.brokers];
  const admin = new Kafka({ clientId: 'freshness-bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const old = (await admin.listTopics()).filter((topic) => [MANDATES_TOPIC, DIRECTORY_TOPIC, MANDATE_REMINDERS_TOPIC].includes(topic));
  if (old.length > 0) await admin.deleteTopics({ topics: old, timeout: 30_000 });
  await admin.disconnect();
  const dir = mkdtempSync(join(tmpdir(), 'authority-freshness-bench-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const config: DelegationConfig = {
    serviceName: 'delegation',
    host: '127.0.0.1',
    port: 0,
    eventStore: { kind: 'sqlite', file: join(dir, 'events.sqlite') },
    mongoUri: `mongodb://${infra.host}:${infra.ports.mongo}/`,
    mongoDb: uniqueName('delegation-freshness').replace(/-/g, '_'),
    kafkaBrokers: brokers,
    schedulerIntervalMs: 250,
    relayEnabled: true,
    auth: { mode: 'dev', keyFile },
  };
  const consumerDb = uniqueName('freshness_consumer').replace(/-/g, '_');
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let runtime: DelegationRuntime | undefined;
  let consumer: INestApplication | undefined;
  let stopLoad = false;
  try {
    runtime = await startDelegationService(config, { auth: { mode: 'dev', keyFile } });
    const base = new URL(runtime.url);
    const parties = await setUpParties(agent, base, keyFile);
    consumer = await startConsumerService(keyFile, infra, brokers, consumerDb);
    const projection = consumer.get(AuthorityProjection);
    const targets = await activeMandates(agent, base, parties, keyFile);
    const question = (t: Target) => ({ personId: t.delegateId, authority: 'tasks.view-all', unitId: parties.unitId });
    // Every target granted on both sides before measuring (activation by the scheduler, then the relay and consumer).
    // One deadline for all of them: on an overloaded machine the run fails fast instead of waiting per mandate.
    const setUpDeadline = performance.now() + SETUP_LIMIT_MS;
    for (const target of targets) {
      const granted = await until(async () => {
        const answer = await get(agent, base, `/authority/check?personId=${target.delegateId}&authority=tasks.view-all&unitId=${parties.unitId}`, target.delegateToken);
        return answer.status === 200 && (JSON.parse(answer.body) as { allowed: boolean }).allowed && projection.may(question(target)).allowed ? true : undefined;
      }, Math.max(0, setUpDeadline - performance.now()));
      if (!granted) throw new Error(`mandate ${target.mandateId} not granted on both sides within ${SETUP_LIMIT_MS} ms (scheduler activation, relay, consumer): is the machine overloaded? see the log`);
    }
    const bare = await bareAppends(dir);

    // The mandate-commands load, kept up while the revokes are measured.
    const loadRun = drive(agent, base, '', parties, Number.MAX_SAFE_INTEGER, { ...LOAD, stop: () => stopLoad });
    const service: number[] = [];
    const local: number[] = [];
    const staleness: number[] = [];
    let staleGrants = 0;
    let misses = 0;
    for (const target of targets) {
      const current = await get(agent, base, `/mandates/${target.mandateId}`, parties.managerToken);
      const revoke = () => call(agent, base, `/mandates/${target.mandateId}/revoke`, { Authorization: `Bearer ${parties.managerToken}`, 'If-Match': String(current.headers['etag']) }, JSON.stringify({ reason: 'freshness bench' }));
      let revoked = await revoke();
      // Admission may defer it (503 + Retry-After while the read model catches up): sent again, timed from its 200.
      while (revoked.status === 503) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        revoked = await revoke();
      }
      if (revoked.status !== 200) throw new Error(`revoke: ${revoked.status} ${revoked.body}`);
      const committed = performance.now();
      const [serviceMs, localMs] = await Promise.all([
        until(async () => {
          const answer = await get(agent, base, `/authority/check?personId=${target.delegateId}&authority=tasks.view-all&unitId=${parties.unitId}`, target.delegateToken);
          if (answer.status === 200 && (JSON.parse(answer.body) as { allowed: boolean }).allowed) staleGrants++;
          return answer.status === 200 && !(JSON.parse(answer.body) as { allowed: boolean }).allowed ? performance.now() - committed : undefined;
        }, SAMPLE_LIMIT_MS),
        until(() => (projection.may(question(target)).allowed ? undefined : performance.now() - committed), SAMPLE_LIMIT_MS),
      ]);
      if (serviceMs === undefined || localMs === undefined) misses++;
      // Where the Kafka path stands: events the relay has not published yet, and the consumer's staleness.
      const relayLag = await runtime.relay?.lag();
      const consumerStaleness = projection.freshness()?.stalenessMs ?? undefined;
      staleness.push(consumerStaleness ?? Number.POSITIVE_INFINITY);
      console.log(
        `  sample ${targets.indexOf(target) + 1}/${targets.length}: delegation ${serviceMs === undefined ? 'miss' : `${round(serviceMs)} ms`}, other service ${localMs === undefined ? 'miss' : `${round(localMs)} ms`}, ` +
          `stale allowed:true so far ${staleGrants} (relay lag ${relayLag ?? '–'} events, consumer ${consumerStaleness === undefined ? '–' : `${round(consumerStaleness)} ms`} behind)`,
      );
      if (serviceMs !== undefined) service.push(serviceMs);
      if (localMs !== undefined) local.push(localMs);
    }
    stopLoad = true;
    const loadResult = await loadRun;
    const floor = percentile(bare, 99);
    reportBench({
      name: 'authority-freshness',
      unit: 'ms (p99, revoke committed → first allowed: false)',
      baseline: round(floor),
      candidate: round(percentile(local, 99)),
      ratio: floor / percentile(local, 99),
      extra: {
        samples: SAMPLES,
        'load average (1 min) at start': round(loadavg()[0] ?? load, 2),
        'load during the samples (commands/s)': round(loadResult.commands / loadResult.seconds, 1),
        'load commands deferred by admission (503 + Retry-After, sent again)': loadResult.deferred,
        'bare hash-chained append: p50 / p99 ms': `${round(percentile(bare, 50))} / ${round(floor)}`,
        'delegation GET /authority/check: p50 / p99 ms': `${round(percentile(service, 50))} / ${round(percentile(service, 99))}`,
        'stale allowed:true answers from /authority/check after the commit': staleGrants,
        'other service, local may() over Kafka: p50 / p99 ms': `${round(percentile(local, 50))} / ${round(percentile(local, 99))}`,
        'p99 ≤ 1000 ms (delegation / other service)': `${percentile(service, 99) <= 1000} / ${percentile(local, 99) <= 1000}`,
        'other service, staleness it reckons (mayFresh refuses grants past 1000 ms): p50 / max ms': `${round(percentile(staleness, 50))} / ${round(Math.max(...staleness))}`,
        [`samples not false within ${SAMPLE_LIMIT_MS} ms`]: misses,
      },
      notes:
        'Time from the 200 of POST /mandates/{id}/revoke to the first allowed:false, measured one revoke at a time while 8 propose+accept pairs run as load. ' +
        'Delegation: GET /authority/check (answered from its event store, caught up before each answer). Other service: AuthorityProjection.may in a Nest app with ' +
        'AuthorityModule (Kafka consumer of the delegation topics, relay from the event store). Baseline: a raw hash-chained SQLite append on the same disk.',
    });
  } finally {
    stopLoad = true;
    agent.destroy();
    await consumer?.close();
    await runtime?.close();
    await dropReadModel(config);
    await dropReadModel({ ...config, mongoDb: consumerDb });
    rmSync(dir, { recursive: true, force: true });
    await broker.stop();
  }
}

rerunWithDecoratorMetadata(__filename, join(__dirname, '../tsconfig.json'));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
