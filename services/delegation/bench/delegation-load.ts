/*
 * The mandate-commands load, shared by the delegation benchmarks: HTTP calls on a keep-alive
 * agent, a small directory set up through the API, and the propose + accept command mix.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { MongoClient } from 'mongodb';
import { issueDevToken } from '@leadership/platform-nest';
import type { DelegationConfig } from '../src/delegation.config';

/** Delegates in the bench team. */
export const DELEGATES = 40;

export interface DriveOptions {
  /** Command pairs in flight. */
  readonly concurrency: number;
  /** A run stops after this long. */
  readonly capMs: number;
  /** Checked before each pair: true stops the run (a load kept up while something else is measured). */
  readonly stop?: () => boolean;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP call on the keep-alive agent; the body is read to its end, as any client must. */
export function call(agent: Agent, base: URL, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: base.hostname, port: base.port, method: 'POST', path, headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface Parties {
  readonly unitId: string;
  readonly managerToken: string;
  readonly delegates: readonly { readonly id: string; readonly token: string }[];
}

/** A proposal as a manager's client sends it: ~700 bytes of JSON. */
export function proposalBody(delegateId: string, unitId: string, from: number): string {
  return JSON.stringify({
    delegateId,
    taskType: 'coordination',
    scope: { unitId },
    direction: { purpose: 'Coordinate the team while the manager is on parental leave', successCriteria: ['Every task has an owner within one day', 'No task waits more than a week'] },
    framework: {
      rules: [
        { id: 'r1', text: 'Reassign only within the team', mode: 'enforce' },
        { id: 'r2', text: 'Tell the colleague before reassigning their task', mode: 'warn' },
      ],
      reservedDecisions: ['dismissals', 'salary changes'],
      escalationContactId: 'bench-head',
    },
    authorities: ['tasks.reassign', 'tasks.view-all'],
    period: { from: new Date(from).toISOString(), until: new Date(from + 90 * 86_400_000).toISOString() },
    reviewCadenceDays: 14,
  });
}

export interface SideRun {
  readonly commands: number;
  readonly seconds: number;
  /** ms per command, request start to the end of the response. */
  readonly latencies: readonly number[];
  /** Process CPU (user + system) in ms: server, projector and client together. */
  readonly cpuMs: number;
  /** Requests answered 503 + Retry-After (admission: the read model was behind) and sent again. */
  readonly deferred: number;
}

/** The load was stopped (or ran out of time) while a request waited out a 503 + Retry-After. */
class LoadStopped extends Error {}

/**
 * `commands` commands (propose + accept pairs), `concurrency` pairs in flight, against `prefix`
 * ('' = the service, '/__bench' = the bare route). Any unexpected status fails the run.
 */
export async function drive(agent: Agent, base: URL, prefix: string, parties: Parties, commands: number, options: DriveOptions): Promise<SideRun> {
  const latencies: number[] = [];
  const from = Date.now() + 86_400_000;
  let pairs = 0;
  const deadline = performance.now() + options.capMs;
  let deferred = 0;
  // A well-behaved client: a 503 with Retry-After (the service admits commands at the pace its read
  // model follows) is waited out and sent again; the latency counts the wait.
  const timed = async (path: string, headers: Record<string, string>, expected: number, body?: string): Promise<Reply> => {
    const began = process.hrtime.bigint();
    let reply = await call(agent, base, path, headers, body);
    while (reply.status === 503 && reply.headers['retry-after'] !== undefined && performance.now() < deadline && !options.stop?.()) {
      deferred++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      reply = await call(agent, base, path, headers, body);
    }
    // Stopped (or out of time) while deferred: the run ends here, this request is not counted.
    if (reply.status === 503 && reply.headers['retry-after'] !== undefined) throw new LoadStopped();
    latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
    if (reply.status !== expected) throw new Error(`POST ${path}: ${reply.status} (expected ${expected}): ${reply.body.slice(0, 500)}`);
    return reply;
  };
  const worker = async (): Promise<void> => {
    try {
      await pairsUntilDone();
    } catch (error) {
      if (!(error instanceof LoadStopped)) throw error;
    }
  };
  const pairsUntilDone = async (): Promise<void> => {
    while (pairs < commands / 2 && performance.now() < deadline && !options.stop?.()) {
      const delegate = parties.delegates[pairs++ % parties.delegates.length] as Parties['delegates'][number];
      const proposed = await timed(`${prefix}/mandates`, { Authorization: `Bearer ${parties.managerToken}` }, 201, proposalBody(delegate.id, parties.unitId, from));
      const location = String(proposed.headers['location']);
      await timed(`${prefix}${location.slice(location.indexOf('/mandates/'))}/accept`, { Authorization: `Bearer ${delegate.token}`, 'If-Match': String(proposed.headers['etag']) }, 200);
    }
  };
  const cpu = process.cpuUsage();
  const began = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  return { commands: latencies.length, seconds, latencies, cpuMs: (used.user + used.system) / 1000, deferred };
}

/** A small directory through the API: organisation → division → team, a manager each, the team's members. */
export async function setUpParties(agent: Agent, base: URL, keyFile: string): Promise<Parties> {
  const admin = await issueDevToken({ sub: 'bench-hr-system', roles: ['admin'], keyFile });
  const members = Array.from({ length: DELEGATES }, (_, i) => `bench-member-${i}`);
  const person = (id: string, unitId: string) => ({ id, displayName: id, email: `${id}@example.test`, locale: 'de-CH', unitIds: [unitId] });
  const directory = {
    units: [
      { id: 'bench-org', name: 'Organisation', parentId: null, managerIds: ['bench-ceo'] },
      { id: 'bench-division', name: 'Division', parentId: 'bench-org', managerIds: ['bench-head'] },
      { id: 'bench-team', name: 'Team', parentId: 'bench-division', managerIds: ['bench-manager'] },
    ],
    people: [person('bench-ceo', 'bench-org'), person('bench-head', 'bench-division'), person('bench-manager', 'bench-team'), ...members.map((id) => person(id, 'bench-team'))],
  };
  const imported = await call(agent, base, '/directory/import', { Authorization: `Bearer ${admin}` }, JSON.stringify(directory));
  if (imported.status !== 200) throw new Error(`directory import: ${imported.status} ${imported.body}`);
  return {
    unitId: 'bench-team',
    managerToken: await issueDevToken({ sub: 'bench-manager', keyFile }),
    delegates: await Promise.all(members.map(async (id) => ({ id, token: await issueDevToken({ sub: id, keyFile }) }))),
  };
}

/** The read model of this run only: dropped once the projector has stopped, so bench data does not pile up in FerretDB. */
export async function dropReadModel(config: DelegationConfig): Promise<void> {
  const client = new MongoClient(config.mongoUri);
  try {
    await client.db(config.mongoDb).dropDatabase();
  } finally {
    await client.close();
  }
}

