/*
 * npm run bench -- projector
 *
 * Events applied per second by the delegation read-model projector (the Projector of
 * @leadership/projection over DelegationReadModel: mongoose models, the revision guard, one
 * version document per mandate/unit version, checkpoints) on the local default MongoDB wire
 * server, against the physical limit measured in the same run: raw driver writes of the same
 * documents into the same collections with the same indexes — per event, the version document
 * the projector wrote for it (insertOne) and its stream's current document (updateOne by _id with
 * upsert, no guard, no read), with the same parallelism (16 events in flight, each stream's in
 * order).
 *
 * The events come from the real use-case handlers over a SQLite event store: a directory (units,
 * people) and mandates going through propose, accept, activate, amend, check-in, suspend and
 * resume. Candidate and baseline alternate, ROUNDS each, every run into a fresh database; the
 * ratio is of the summed events and times. Which wire server answered (FerretDB on PostgreSQL or
 * SQLite, or MongoDB) is printed and recorded: the figures mean little without it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { EventStore, RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { createDelegationParts, DelegationReadModel } from '@leadership/delegation-infrastructure';
import { idOf } from '@leadership/kernel';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { describeMongoServer, MongoProjectionBookkeeping, mongooseConnectionFor, Projector } from '@leadership/projection';
import { reportBench, uniqueName } from '@leadership/testing';

const MANDATES = Number(process.env['PROJECTOR_BENCH_MANDATES'] ?? 150);
const PEOPLE = 40;
const ROUNDS = 2;
/** Events in flight on both sides (the projector's default window). */
const CONCURRENCY = 16;

async function appendWorld(store: EventStore, db: Db): Promise<void> {
  let clock = Date.parse('2026-03-01T08:00:00.000Z');
  const now = () => new Date(clock);
  const services = createDelegationParts(store, db, now);
  const admin = { actorId: 'hr' };
  await services.directory.upsertUnit.execute({ id: 'root', name: 'Root', parentId: null, managerIds: ['ceo'] }, admin);
  for (const unit of ['claims', 'intake', 'payments']) await services.directory.upsertUnit.execute({ id: unit, name: unit, parentId: 'root', managerIds: ['m1'] }, admin);
  const people = Array.from({ length: PEOPLE }, (_, i) => `p${i}`);
  for (const id of [...people, 'm1']) {
    await services.directory.upsertPerson.execute({ id, displayName: id, email: `${id}@example.test`, locale: 'en-GB', unitIds: ['claims'] }, admin);
  }
  const framework = (n: number) => ({
    rules: Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, text: `Rule ${i} of version ${n}: escalate conflicts over priorities to the manager`, mode: 'warn' as const })),
    reservedDecisions: ['hiring'],
    escalationContactId: 'm1',
  });
  const ids: string[] = [];
  for (let i = 0; i < MANDATES; i++) {
    const mandateId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    ids.push(mandateId);
    await services.mandates.propose.execute(
      {
        mandateId,
        delegateId: people[i % PEOPLE] as string,
        taskType: 'coordination',
        scope: { unitId: 'claims' },
        direction: { purpose: 'Keep the overview of the team tasks', successCriteria: ['No loose ends older than a week'] },
        framework: framework(0),
        authorities: ['tasks.view-all'],
        period: { from: new Date(clock + 3_600_000).toISOString(), until: new Date(clock + 60 * 86_400_000).toISOString() },
        reviewCadenceDays: 14,
      },
      { actorId: 'm1' },
    );
  }
  for (const [i, id] of ids.entries()) await services.mandates.accept.execute({ mandateId: id }, { actorId: people[i % PEOPLE] as string });
  clock += 2 * 3_600_000;
  for (const id of ids) await services.mandates.activate.execute({ mandateId: id, at: now().toISOString() }, { actorId: 'system:scheduler' });
  for (const id of ids) await services.mandates.amend.execute({ mandateId: id, changes: { framework: framework(1) } }, { actorId: 'm1' });
  for (const [i, id] of ids.entries()) await services.mandates.checkIn.execute({ mandateId: id, note: 'All fine' }, { actorId: people[i % PEOPLE] as string });
  for (const id of ids) await services.mandates.suspend.execute({ mandateId: id, reason: 'Leave' }, { actorId: 'm1' });
  clock += 86_400_000;
  for (const id of ids) await services.mandates.resume.execute({ mandateId: id }, { actorId: 'm1' });
}

interface Run {
  readonly events: number;
  readonly seconds: number;
  /** This process's CPU (user + system) during the run: the projector's own cost, not the server's. */
  readonly cpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** The projector from an empty database until it has applied the whole store. */
async function candidateRun(store: EventStore, db: Db): Promise<Run> {
  const connection = mongooseConnectionFor(db);
  const readModel = new DelegationReadModel(connection);
  await readModel.init();
  const head = await store.headPosition();
  const events = (await store.readAll({ filter: { streamCategories: [...readModel.categories] } })).length;
  const projector = new Projector(store, readModel, { bookkeeping: new MongoProjectionBookkeeping(connection), concurrency: CONCURRENCY });
  const began = performance.now();
  const cpu = process.cpuUsage();
  await projector.start();
  const done = await projector.catchUp(30 * 60_000);
  const seconds = (performance.now() - began) / 1000;
  const used = cpuMs(cpu);
  await projector.stop();
  if (!done || projector.position !== head) throw new Error('the projector did not reach the head');
  return { events, seconds, cpuMs: used };
}

/** What the projector wrote, per event: its version document (if any) and its stream's current document. */
interface Writes {
  readonly collection: string;
  readonly versions?: string;
  readonly id: string;
  readonly current: Record<string, unknown>;
  readonly version: Record<string, unknown> | undefined;
}

async function writesOf(events: readonly RecordedEvent[], db: Db): Promise<Writes[]> {
  const kinds: Record<string, { collection: string; versions?: string }> = {
    delegation: { collection: 'mandates', versions: 'mandate_versions' },
    unit: { collection: 'units', versions: 'unit_versions' },
    person: { collection: 'people' },
  };
  const load = async (name: string) => new Map((await db.collection<{ _id: string }>(name).find({}).toArray()).map((d) => [d._id, d as Record<string, unknown>]));
  const stored = Object.fromEntries(await Promise.all(['mandates', 'mandate_versions', 'units', 'unit_versions', 'people'].map(async (n) => [n, await load(n)] as const)));
  return events.map((event) => {
    const kind = kinds[event.streamName.split('-')[0] as string];
    if (!kind) throw new Error(`unexpected stream ${event.streamName}`);
    const id = idOf(event.streamName);
    const current = stored[kind.collection]?.get(id);
    if (!current) throw new Error(`no ${kind.collection} document ${id}`);
    const version = kind.versions ? stored[kind.versions]?.get(`${id}:${event.revision}`) : undefined;
    const fields: Record<string, unknown> = { ...current, revision: event.revision };
    delete fields['_id'];
    return { collection: kind.collection, ...(kind.versions ? { versions: kind.versions } : {}), id, current: fields, version };
  });
}

/**
 * The same documents, written with the raw driver (no read, no guard, no mongoose) and with the
 * projector's parallelism: CONCURRENCY events in flight, each stream's writes in order.
 */
async function baselineRun(writes: readonly Writes[], db: Db): Promise<Run> {
  await new DelegationReadModel(mongooseConnectionFor(db)).init();
  const tails = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const began = performance.now();
  const cpu = process.cpuUsage();
  for (const w of writes) {
    while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    const key = `${w.collection}/${w.id}`;
    const run = (tails.get(key) ?? Promise.resolve()).then(async () => {
      if (w.versions && w.version) await db.collection(w.versions).insertOne({ ...w.version });
      await db.collection<{ _id: string }>(w.collection).updateOne({ _id: w.id }, { $set: w.current }, { upsert: true });
    });
    tails.set(key, run);
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  }
  await Promise.all(inFlight);
  return { events: writes.length, seconds: (performance.now() - began) / 1000, cpuMs: cpuMs(cpu) };
}

async function main(): Promise<void> {
  const infra = loadInfraConfig();
  await up(infra, ['ferretdb'], (line) => console.log(`  ${line}`));
  const dir = mkdtempSync(join(tmpdir(), 'projector-bench-'));
  const client = new MongoClient(`mongodb://${infra.host}:${infra.ports.mongo}/`);
  const databases: Db[] = [];
  const fresh = () => {
    const db = client.db(uniqueName('projector-bench').replace(/-/g, '_'));
    databases.push(db);
    return db;
  };
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    await client.connect();
    const server = await describeMongoServer(client.db('admin'));
    console.log(`  read-model store: ${server}`);
    console.log(`  appending ${MANDATES} mandates × 7 events and a directory …`);
    await appendWorld(store, fresh());
    const candidate: Run[] = [];
    const baseline: Run[] = [];
    let writes: Writes[] | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const db = fresh();
      const run = await candidateRun(store, db);
      candidate.push(run);
      console.log(`  projector: ${run.events} events in ${run.seconds.toFixed(1)} s`);
      writes ??= await writesOf(await store.readAll({ filter: { streamCategories: [...DelegationReadModel.categories] } }), db);
      const raw = await baselineRun(writes, fresh());
      baseline.push(raw);
      console.log(`  raw driver writes: ${raw.events} events in ${raw.seconds.toFixed(1)} s`);
    }
    const rate = (runs: readonly Run[]) => runs.reduce((s, r) => s + r.events, 0) / runs.reduce((s, r) => s + r.seconds, 0);
    const versionDocs = writes?.filter((w) => w.version).length ?? 0;
    reportBench({
      name: 'projector',
      unit: 'events/s',
      baseline: rate(baseline),
      candidate: rate(candidate),
      ratio: rate(candidate) / rate(baseline),
      target: 0.5,
      cases: candidate.map((c, i) => ({ case: `round ${i + 1}`, unit: 'events/s', baseline: (baseline[i]?.events ?? 0) / (baseline[i]?.seconds ?? 1), candidate: c.events / c.seconds, ratio: c.events / c.seconds / ((baseline[i]?.events ?? 0) / (baseline[i]?.seconds ?? 1)) })),
      extra: {
        'read-model store': server,
        'events per run': candidate[0]?.events ?? 0,
        'version documents per run': versionDocs,
        mandates: MANDATES,
        'projector: client CPU ms/event': Number((candidate.reduce((x, r) => x + r.cpuMs, 0) / candidate.reduce((x, r) => x + r.events, 0)).toFixed(3)),
        'raw writes: client CPU ms/event': Number((baseline.reduce((x, r) => x + r.cpuMs, 0) / baseline.reduce((x, r) => x + r.events, 0)).toFixed(3)),
      },
      notes:
        'Candidate: Projector + DelegationReadModel from an empty database to the head (checkpoint load, subscription, fold with the state cache, version insert, ' +
        'applyIfNewer through mongoose, checkpoints every 100 events). Baseline: per event the version document insertOne and the current document updateOne ' +
        '{_id} $set upsert with the raw driver, the documents as the projector wrote them, same indexes, the same 16 events in flight (each stream in order). ' +
        'Alternating rounds, fresh database each.',
    });
  } finally {
    await store.close();
    for (const db of databases) await db.dropDatabase().catch(() => undefined);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
