import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from './service-process';

/** Where the delegation service of an e2e suite keeps its state and whom it talks to. */
export interface DelegationServiceOptions {
  /** The suite's temporary folder: the SQLite event store goes there. */
  readonly dir: string;
  readonly mongoUri: string;
  /** Its own database (the suite drops it afterwards). */
  readonly dbName: string;
  /** Comma-separated brokers (the shared one, or a broker of the suite's own). */
  readonly brokers: string;
  /** The dev issuer's key file shared with the service under test. */
  readonly keyFile: string;
  /** A bearer token for `sub` with `roles` from that issuer. */
  readonly token: (sub: string, roles?: string[]) => Promise<string>;
}

export interface DelegationCallResult {
  readonly status: number;
  readonly etag: string | null;
  readonly body: Record<string, unknown>;
}

/** The delegation service as its own process, and a client that calls it as a given person. */
export interface DelegationService extends ServiceProcess {
  call(method: string, path: string, sub: string, body?: unknown, headers?: Record<string, string>, roles?: string[]): Promise<DelegationCallResult>;
}

/**
 * Starts the delegation service as `npm start` runs it (SQLite store, read model, scheduler every
 * 500 ms so a mandate from "now + 1 s" activates promptly, relay to Kafka), for the e2e suites of
 * the services that consume its mandates.
 */
export async function startDelegationService(options: DelegationServiceOptions): Promise<DelegationService> {
  const service = await startServiceProcess({
    name: 'delegation',
    env: {
      DELEGATION_EVENT_STORE: join(options.dir, 'delegation.sqlite'),
      MONGO_URI: options.mongoUri,
      DELEGATION_MONGO_DB: options.dbName,
      KAFKA_BROKERS: options.brokers,
      AUTH_MODE: 'dev',
      AUTH_DEV_KEY_FILE: options.keyFile,
      SCHEDULER_INTERVAL_MS: '500',
      LOG_LEVEL: 'warn',
    },
  });
  const call: DelegationService['call'] = async (method, path, sub, body, headers = {}, roles = []) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await options.token(sub, roles)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, etag: response.headers.get('etag'), body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  return { url: service.url, logTail: (lines) => service.logTail(lines), stop: (graceMs) => service.stop(graceMs), kill: () => service.kill(), call };
}
