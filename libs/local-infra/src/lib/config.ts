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
  readonly smtp: number;
  readonly mailpitHttp: number;
}

export interface InfraConfig {
  readonly host: string;
  readonly paths: InfraPaths;
  readonly ports: InfraPorts;
  readonly kafkaHeap: string;
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
      smtp: port(env, 'SMTP_PORT', 1025),
      mailpitHttp: port(env, 'MAILPIT_HTTP_PORT', 8025),
    },
    kafkaHeap: env['KAFKA_HEAP'] ?? '768m',
  };
}
