import { join, resolve } from 'node:path';

/** Runtime configuration of the delegation service, from the environment. */
export interface DelegationConfig {
  readonly host: string;
  readonly port: number;
  /** SQLite event store file (the embedded default), unless an EventStoreDB is configured. */
  readonly sqliteFile: string;
  /** `esdb://…` — when set, the EventStoreDB adapter is used instead of SQLite. */
  readonly eventStoreDb?: string;
  readonly mongoUri: string;
  readonly mongoDb: string;
  readonly kafkaBrokers: readonly string[];
  /** How often the scheduler looks for due activations, expiries and reminders. */
  readonly schedulerIntervalMs: number;
  /** false disables the relay (e.g. in tests that don't need Kafka). */
  readonly relayEnabled: boolean;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw} must be a non-negative integer`);
  return n;
}

export function delegationConfigFromEnv(env: NodeJS.ProcessEnv = process.env, workspaceRoot = resolve(__dirname, '../../../../..')): DelegationConfig {
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: int(env, 'DELEGATION_PORT', int(env, 'PORT', 3001)),
    sqliteFile: resolve(env['DELEGATION_EVENT_STORE'] ?? join(workspaceRoot, '.local/data/delegation/events.sqlite')),
    ...(env['EVENTSTORE_CONNECTION_STRING'] ? { eventStoreDb: env['EVENTSTORE_CONNECTION_STRING'] } : {}),
    mongoUri: env['MONGO_URI'] ?? 'mongodb://127.0.0.1:27017/',
    mongoDb: env['DELEGATION_MONGO_DB'] ?? 'leadership_delegation',
    kafkaBrokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
    ...roleSettings(env, int(env, 'SCHEDULER_INTERVAL_MS', 1000)),
  };
}

/*
 * DELEGATION_ROLE splits the process for several replicas: `api` serves HTTP and projects the
 * read model only; `workers` also runs the scheduler and the relay, of which one instance should
 * run (two would publish every integration event twice; the scheduler would stay correct, its
 * actions are idempotent); `all` (default) is both, for one-replica deployments.
 */
function roleSettings(env: NodeJS.ProcessEnv, schedulerIntervalMs: number): { schedulerIntervalMs: number; relayEnabled: boolean } {
  const role = env['DELEGATION_ROLE'] ?? 'all';
  if (!['api', 'workers', 'all'].includes(role)) throw new Error(`DELEGATION_ROLE=${role} must be api, workers or all`);
  const workers = role !== 'api';
  return { schedulerIntervalMs: workers ? schedulerIntervalMs : 0, relayEnabled: workers && env['DELEGATION_RELAY'] !== 'off' };
}
