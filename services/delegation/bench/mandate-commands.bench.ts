/*
 * npm run bench -- mandate-commands
 *
 * HTTP commands per second through the real delegation service, started in-process by
 * startDelegationService (SQLite event store file, hash-chained, synchronous=FULL; MongoDB
 * read model on the local FerretDB with its projector running; dev-issuer bearer tokens), against
 * the physical limit: a bare route served by the same HTTP server in the same process, hit by the
 * same client with the same requests.
 *
 * The command mix: a formal manager proposes a mandate of a non-exclusive task type
 * (`coordination`, so proposals never conflict) — POST /mandates — and the delegate accepts it —
 * POST /mandates/{id}/accept with If-Match. Both count as a command. CONCURRENCY pairs are in
 * flight at all times over keep-alive connections. The baseline sends the very same requests
 * (same bodies, same headers, same tokens) to /__bench/…, a plain Express app with the same JSON
 * body parser that answers with a small JSON.
 *
 * Rounds alternate the sides (ROUNDS of a fixed number of commands each, capped in time); the
 * median round is reported. Process CPU per command and the cost of one fsync'd SQLite commit on
 * the same disk (raw better-sqlite3, FULL and NORMAL) are measured too, to show what dominates.
 *
 * Nest resolves constructor parameters from TypeScript's emitted decorator metadata; tsx
 * (esbuild) emits none, so under the bench runner this file re-runs itself under ts-node
 * (transpile-only, which does emit it) with tsconfig paths, and passes its exit code on.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, type RequestListener, type Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { startDelegationService, type DelegationRuntime } from '../src/delegation.app';
import type { DelegationConfig } from '../src/delegation.config';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { describeMongoServer } from '@leadership/projection';
import { median, percentile, reportBench, rerunWithDecoratorMetadata, round, uniqueName } from '@leadership/testing';
import { drive, dropReadModel, proposalBody, setUpParties, type SideRun } from './delegation-load';

const CONCURRENCY = 8;
const ROUNDS = 3;
/** Commands per round (half proposals, half acceptances); the bare route gets more, it is faster. */
const SERVICE_COMMANDS = 600;
const BARE_COMMANDS = 4_000;
const WARMUP_COMMANDS = 100;
/** A round stops early after this long, so the whole run stays within about a minute on a slow disk. */
const ROUND_CAP_MS = 12_000;
/** The service's own limit (startDelegationService); the bare route parses with the same. */
const BODY_LIMIT = '10mb';
const COMMITS = 300;
const LOAD = { concurrency: CONCURRENCY, capMs: ROUND_CAP_MS };

/**
 * Serves /__bench/… from a plain Express app on the service's own HTTP server; every other request
 * goes to Nest as before. It cannot be a route on Nest's Express instance: once the app listens,
 * Nest's not-found handler is that instance's last layer, and a route added behind it is never reached.
 */
function serveBareRoutes(server: Server): void {
  const bare = express();
  bare.disable('x-powered-by');
  bare.set('etag', false);
  bare.use(express.json({ limit: BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  bare.post('/__bench/mandates', (_req, res) => {
    const mandateId = randomUUID();
    res.status(201).setHeader('Location', `/__bench/mandates/${mandateId}`).setHeader('ETag', '"0"').json({ mandateId, version: 0 });
  });
  bare.post('/__bench/mandates/:id/accept', (req, res) => {
    res.status(200).setHeader('ETag', '"1"').json({ mandateId: req.params['id'], version: 1 });
  });
  const nest = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/__bench/')) bare(req, res);
    else for (const listener of nest) listener(req, res);
  });
}

interface ProjectorProgress {
  readonly appliedPerSecond: number;
  /** Events appended but not yet in the read model when the last round ended. */
  readonly backlog: number;
  /** Time from the end of the rounds until the backlog was 0; undefined when it was not within DRAIN_LIMIT_MS. */
  readonly drainMs: number | undefined;
  /** Events still not applied after waiting DRAIN_LIMIT_MS. */
  readonly backlogAfterDrain: number;
  /** The MongoDB wire server the read model is on (e.g. FerretDB on PostgreSQL). */
  readonly server: string;
}

/** The target: the projector's backlog is 0 within this long after the rounds. */
const DRAIN_LIMIT_MS = 5_000;

/**
 * How fast the service's read-model projector (in this process, writing to MongoDB) keeps up:
 * its rate during the rounds (it runs alongside both sides' rounds; commands answer once
 * appended), its backlog when they end, and how long it then takes to drain (waited for at most
 * DRAIN_LIMIT_MS through the projector's own catchUp).
 */
function projectorProgress(runtime: DelegationRuntime): { end(): Promise<ProjectorProgress> } {
  const { projector, store, db } = runtime.parts;
  const appliedAt = () => Number(projector.position ?? 0n);
  const first = appliedAt();
  const began = performance.now();
  return {
    async end() {
      const applied = appliedAt();
      const ended = performance.now();
      const head = Number((await store.headPosition()) ?? 0n);
      const drained = await projector.catchUp(DRAIN_LIMIT_MS);
      const drainMs = drained ? performance.now() - ended : undefined;
      const backlogAfterDrain = Number((await store.headPosition()) ?? 0n) - appliedAt();
      return { appliedPerSecond: (applied - first) / ((ended - began) / 1000), backlog: head - applied, drainMs, backlogAfterDrain, server: await describeMongoServer(db) };
    },
  };
}

/** ms per commit of one ~700-byte row, alternating FULL and NORMAL files in `dir` (the event store's disk). */
function commitCost(dir: string): { full: number; normal: number } {
  const open = (synchronous: 'FULL' | 'NORMAL') => {
    const db = new Database(join(dir, `commit-${synchronous}.sqlite`));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
    return { db, insert: db.prepare('INSERT INTO rows (data) VALUES (?)'), took: [] as number[] };
  };
  const sides = [open('FULL'), open('NORMAL')];
  const row = proposalBody('bench-member-0', 'bench-team', Date.now());
  for (let i = 0; i < COMMITS; i++) {
    for (const side of sides) {
      const began = process.hrtime.bigint();
      side.insert.run(row);
      side.took.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
  }
  for (const side of sides) side.db.close();
  return { full: median(sides[0]?.took ?? []), normal: median(sides[1]?.took ?? []) };
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const infra = loadInfraConfig();
  await up(infra, ['ferretdb'], (line) => console.log(`  ${line}`));
  const dir = mkdtempSync(join(tmpdir(), 'mandate-commands-bench-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const config: DelegationConfig = {
    serviceName: 'delegation',
    host: '127.0.0.1',
    port: 0,
    eventStore: { kind: 'sqlite', file: join(dir, 'events.sqlite') },
    mongoUri: `mongodb://${infra.host}:${infra.ports.mongo}/`,
    mongoDb: uniqueName('delegation-bench').replace(/-/g, '_'),
    kafkaBrokers: [`${infra.host}:${infra.ports.kafka}`],
    // No scheduler (nothing activates during the run) and no relay (no Kafka needed).
    schedulerIntervalMs: 0,
    relayEnabled: false,
    auth: { mode: 'dev', keyFile },
  };
  let runtime: DelegationRuntime | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    runtime = await startDelegationService(config, { auth: { mode: 'dev', keyFile } });
    serveBareRoutes(runtime.app.getHttpServer() as Server);
    const base = new URL(runtime.url);
    const parties = await setUpParties(agent, base, keyFile);

    await drive(agent, base, '/__bench', parties, WARMUP_COMMANDS, LOAD);
    await drive(agent, base, '', parties, WARMUP_COMMANDS, LOAD);
    const bare: SideRun[] = [];
    const service: SideRun[] = [];
    const projection = projectorProgress(runtime);
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate who goes first: the projector's backlog (see projectorProgress) weighs on both.
      for (const side of r % 2 === 0 ? ['bare', 'service'] : ['service', 'bare']) {
        (globalThis as { gc?: () => void }).gc?.();
        if (side === 'bare') bare.push(await drive(agent, base, '/__bench', parties, BARE_COMMANDS, LOAD));
        else service.push(await drive(agent, base, '', parties, SERVICE_COMMANDS, LOAD));
      }
    }
    const projector = await projection.end();
    const commits = commitCost(dir);
    report({ bare, service, commits, load, projector });
  } finally {
    agent.destroy();
    await runtime?.close();
    await dropReadModel(config);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured {
  readonly bare: readonly SideRun[];
  readonly service: readonly SideRun[];
  readonly commits: { readonly full: number; readonly normal: number };
  readonly load: number;
  readonly projector: ProjectorProgress;
}

function report({ bare, service, commits, load, projector }: Measured): void {
  const rate = (run: SideRun): number => run.commands / run.seconds;
  const baseline = median(bare.map(rate));
  const candidate = median(service.map(rate));
  const all = (runs: readonly SideRun[]) => runs.flatMap((run) => run.latencies);
  const cpuPerCommand = (runs: readonly SideRun[]) => runs.reduce((sum, run) => sum + run.cpuMs, 0) / runs.reduce((sum, run) => sum + run.commands, 0);
  reportBench({
    name: 'mandate-commands',
    unit: 'commands/s',
    baseline,
    candidate,
    ratio: candidate / baseline,
    extra: {
      concurrency: CONCURRENCY,
      'commands per round (service / bare)': `${service.map((run) => run.commands).join(', ')} / ${bare.map((run) => run.commands).join(', ')}`,
      'load average (1 min) at start': round(load, 2),
      'bare route: p50 ms/command': round(percentile(all(bare), 50)),
      'bare route: p99 ms/command': round(percentile(all(bare), 99)),
      'service: p50 ms/command': round(percentile(all(service), 50)),
      'service: p99 ms/command': round(percentile(all(service), 99)),
      'bare route: process CPU ms/command': round(cpuPerCommand(bare)),
      'service: process CPU ms/command': round(cpuPerCommand(service)),
      'service: wall ms/command (1 / rate)': round(1000 / candidate),
      'read-model projector: events applied/s during the rounds': round(projector.appliedPerSecond, 1),
      'read-model projector: backlog at the end of the rounds (events)': projector.backlog,
      [`read-model projector: ms until backlog 0 (target ≤ ${DRAIN_LIMIT_MS})`]: projector.drainMs === undefined ? `not within ${DRAIN_LIMIT_MS}` : round(projector.drainMs),
      [`read-model projector: backlog after waiting up to ${DRAIN_LIMIT_MS} ms`]: projector.backlogAfterDrain,
      'read-model store': projector.server,
      'raw SQLite commit, synchronous=FULL: p50 ms': round(commits.full),
      'raw SQLite commit, synchronous=NORMAL: p50 ms': round(commits.normal),
    },
    notes:
      'Candidate: POST /mandates (coordination, non-exclusive) then POST /mandates/{id}/accept with If-Match, through the real service ' +
      '(auth guard with ES256 dev tokens, zod validation, event-store reads of unit chain/person/task type/mandate, hash-chained SQLite append at synchronous=FULL, ' +
      'MongoDB projector running in the same process). Baseline: the same requests to a bare Express route with the same JSON parser on the same server. ' +
      `Median of ${ROUNDS} alternating rounds, ${CONCURRENCY} in flight, node:http keep-alive agent in the same process (its CPU is in the CPU figures). ` +
      'The service has no option to relax synchronous=FULL (openEventStore opens SqliteEventStore with defaults), so the fsync cost is shown by raw commits on the same disk instead.',
  });
}

rerunWithDecoratorMetadata(__filename, join(__dirname, '../tsconfig.json'));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
