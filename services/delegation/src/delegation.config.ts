import { join } from 'node:path';
import { authConfigFromEnv, type AuthConfig } from '@leadership/platform-nest';
import { intFromEnv, serviceConfigFromEnv, ConfigError, type ServiceConfig } from '@leadership/platform-runtime';

/** The delegation service's configuration: the common service settings plus its own. */
export interface DelegationConfig extends ServiceConfig {
  /** How often the scheduler looks for due activations, expiries and reminders; 0 disables it. */
  readonly schedulerIntervalMs: number;
  /** false disables the relay (e.g. in tests that don't need Kafka). */
  readonly relayEnabled: boolean;
  /** Bearer-token verification; read with the rest, so a bad setup fails at start with the other errors. */
  readonly auth: AuthConfig;
}

/** Default port of the delegation service (services/delegation/project.json metadata.port). */
export const DELEGATION_PORT = 3001;

/**
 * From the environment (see libs/platform/runtime/README.md for the common variables:
 * DELEGATION_PORT/PORT, HOST, EVENTSTORE_CONNECTION_STRING or DELEGATION_EVENT_STORE, MONGO_URI,
 * DELEGATION_MONGO_DB, KAFKA_BROKERS; auth: AUTH_MODE=dev or AUTH_JWKS_URL/AUTH_ISSUER/AUTH_AUDIENCE),
 * plus SCHEDULER_INTERVAL_MS, DELEGATION_ROLE and DELEGATION_RELAY below.
 */
export function delegationConfigFromEnv(env: NodeJS.ProcessEnv = process.env, workspaceRoot = join(__dirname, '../../..')): DelegationConfig {
  return {
    ...serviceConfigFromEnv('delegation', { defaultPort: DELEGATION_PORT, workspaceRoot }, env),
    ...roleSettings(env, intFromEnv(env, 'SCHEDULER_INTERVAL_MS', 1000)),
    auth: authConfigFromEnv(env),
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
  if (!['api', 'workers', 'all'].includes(role)) throw new ConfigError(`DELEGATION_ROLE=${role} must be api, workers or all`);
  const workers = role !== 'api';
  return { schedulerIntervalMs: workers ? schedulerIntervalMs : 0, relayEnabled: workers && env['DELEGATION_RELAY'] !== 'off' };
}
