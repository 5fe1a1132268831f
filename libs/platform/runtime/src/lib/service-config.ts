import { isAbsolute, join, resolve } from 'node:path';

/** Where a service keeps its events: the embedded SQLite file, or an EventStoreDB. */
export type EventStoreConfig = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };

/** What every service is configured with, read from the environment the same way for all. */
export interface ServiceConfig {
  /** kebab-case service name, e.g. `case-distribution`. */
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  readonly eventStore: EventStoreConfig;
  readonly mongoUri: string;
  readonly mongoDb: string;
  readonly kafkaBrokers: readonly string[];
  /** TLS and SASL for Kafka; absent: plaintext without authentication (the local stack). */
  readonly kafkaSecurity?: KafkaSecurityConfig;
}

/** How a service authenticates to Kafka and protects the connection (kafkajs `ssl` and `sasl`). */
export interface KafkaSecurityConfig {
  /** TLS to the brokers; `caFile` when their certificates are signed by a private CA (Strimzi's cluster CA). */
  readonly tls: false | { readonly caFile?: string };
  readonly sasl?: { readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; readonly username: string; readonly password: string };
}

const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/*
 * KAFKA_TLS (true|false), KAFKA_TLS_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD. In production (NODE_ENV=production) a client without SASL is refused at
 * start unless KAFKA_ALLOW_UNAUTHENTICATED=true says so explicitly: an unauthenticated client on
 * a cluster where anyone may publish `MandateChanged` is a way to grant oneself authority.
 */
function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv): KafkaSecurityConfig | undefined {
  const tlsFlag = env['KAFKA_TLS'] ?? '';
  if (!['', 'true', 'false'].includes(tlsFlag)) throw new ConfigError(`KAFKA_TLS must be true or false, got "${tlsFlag}"`);
  const caFile = env['KAFKA_TLS_CA_FILE'] || undefined;
  if (caFile && tlsFlag !== 'true') throw new ConfigError('KAFKA_TLS_CA_FILE is set but KAFKA_TLS is not true');
  const mechanism = env['KAFKA_SASL_MECHANISM'] || undefined;
  let sasl: KafkaSecurityConfig['sasl'];
  if (mechanism !== undefined) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) throw new ConfigError(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got "${mechanism}"`);
    const username = env['KAFKA_SASL_USERNAME'];
    const password = env['KAFKA_SASL_PASSWORD'];
    if (!username || !password) throw new ConfigError(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
    if (mechanism === 'plain' && tlsFlag !== 'true') throw new ConfigError('KAFKA_SASL_MECHANISM=plain sends the password in clear: set KAFKA_TLS=true');
    sasl = { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username, password };
  }
  if (env['NODE_ENV'] === 'production' && !sasl && env['KAFKA_ALLOW_UNAUTHENTICATED'] !== 'true') {
    throw new ConfigError(
      'NODE_ENV=production needs an authenticated Kafka client: set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (and KAFKA_TLS=true), or KAFKA_ALLOW_UNAUTHENTICATED=true to accept an open cluster knowingly',
    );
  }
  if (tlsFlag !== 'true' && !sasl) return undefined;
  return { tls: tlsFlag === 'true' ? { ...(caFile ? { caFile } : {}) } : false, ...(sasl ? { sasl } : {}) };
}

/** A configuration value that cannot be used; the message says which variable and what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `case-distribution` → `CASE_DISTRIBUTION` (the prefix of a service's own variables). */
export const envPrefix = (serviceName: string): string => serviceName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** A non-negative integer variable, or the fallback when unset or empty. */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`${name}=${raw} must be an integer between 0 and ${max}`);
  return n;
}

/**
 * The common configuration of service `serviceName`:
 * - `<NAME>_PORT` (else `PORT`, else `defaultPort`), `HOST` (default 127.0.0.1);
 * - `EVENTSTORE_CONNECTION_STRING` (`esdb://…`) selects EventStoreDB, else the SQLite file
 *   `<NAME>_EVENT_STORE` (default `.local/data/<name>/events.sqlite` under the workspace);
 * - `MONGO_URI` (default the local wire server), `<NAME>_MONGO_DB` (default `leadership_<name>`);
 * - `KAFKA_BROKERS` (comma-separated, default 127.0.0.1:9092); `KAFKA_TLS`, `KAFKA_TLS_CA_FILE`,
 *   `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD` (required in production).
 */
export function serviceConfigFromEnv(serviceName: string, options: { defaultPort: number; workspaceRoot: string }, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  if (!/^[a-z][a-z0-9-]*$/.test(serviceName)) throw new ConfigError(`service name "${serviceName}" must be kebab-case`);
  const prefix = envPrefix(serviceName);
  const esdb = env['EVENTSTORE_CONNECTION_STRING'];
  if (esdb !== undefined && esdb !== '' && !/^(esdb|kurrentdb)(\+discover)?:\/\//.test(esdb)) {
    throw new ConfigError(`EVENTSTORE_CONNECTION_STRING must start with esdb:// (e.g. esdb://127.0.0.1:2113?tls=false), got "${esdb}"`);
  }
  const sqlite = env[`${prefix}_EVENT_STORE`] ?? join(options.workspaceRoot, '.local/data', serviceName, 'events.sqlite');
  const mongoUri = env['MONGO_URI'] ?? 'mongodb://127.0.0.1:27017/';
  if (!/^mongodb(\+srv)?:\/\//.test(mongoUri)) throw new ConfigError(`MONGO_URI must start with mongodb://, got "${mongoUri}"`);
  const kafkaBrokers = (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (kafkaBrokers.length === 0 || kafkaBrokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new ConfigError(`KAFKA_BROKERS must be host:port[,host:port…], got "${env['KAFKA_BROKERS'] ?? ''}"`);
  }
  return {
    serviceName,
    host: env['HOST'] ?? '127.0.0.1',
    port: intFromEnv(env, `${prefix}_PORT`, intFromEnv(env, 'PORT', options.defaultPort, 65_535), 65_535),
    eventStore: esdb ? { kind: 'eventstoredb', connectionString: esdb } : { kind: 'sqlite', file: isAbsolute(sqlite) ? sqlite : resolve(options.workspaceRoot, sqlite) },
    mongoUri,
    mongoDb: env[`${prefix}_MONGO_DB`] ?? `leadership_${serviceName.replace(/-/g, '_')}`,
    kafkaBrokers,
    ...optional('kafkaSecurity', kafkaSecurityFromEnv(env)),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));
