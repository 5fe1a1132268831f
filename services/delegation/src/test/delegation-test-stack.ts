import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDelegationService, type DelegationRuntime } from '../delegation.app';
import type { DelegationConfig } from '../delegation.config';
import { issueDevToken } from '@leadership/platform-nest';
import { testInfra, uniqueName } from '@leadership/testing';
import request from 'supertest';

/** A delegation service on the real local stack (SQLite file, FerretDB/MongoDB), with dev tokens. */
export class DelegationTestStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'delegation-e2e-'));
  readonly keyFile = join(this.dir, 'dev-issuer.json');
  readonly config: DelegationConfig;
  runtime: DelegationRuntime | undefined;

  constructor(overrides: Partial<DelegationConfig> = {}) {
    this.config = {
      serviceName: 'delegation',
      host: '127.0.0.1',
      port: 0,
      eventStore: { kind: 'sqlite', file: join(this.dir, 'events.sqlite') },
      mongoUri: testInfra().mongo.uri,
      mongoDb: uniqueName('delegation').replace(/-/g, '_'),
      kafkaBrokers: testInfra().kafka.brokers,
      schedulerIntervalMs: 200,
      relayEnabled: true,
      auth: { mode: 'dev', keyFile: this.keyFile },
      ...overrides,
    };
  }

  async start(): Promise<DelegationRuntime> {
    this.runtime = await startDelegationService(this.config, { auth: { mode: 'dev', keyFile: this.keyFile } });
    return this.runtime;
  }

  get url(): string {
    if (!this.runtime) throw new Error('not started');
    return this.runtime.url;
  }

  token(personId: string, roles: string[] = []): Promise<string> {
    return issueDevToken({ sub: personId, roles, keyFile: this.keyFile });
  }

  async stop(): Promise<void> {
    await this.runtime?.close();
    this.runtime = undefined;
  }

  /** An HTTP call with a bearer token (supertest against the listening service). */
  call(token: string, method: 'get' | 'post' | 'put', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<request.Response> {
    let req = request(this.url)[method](path).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? req : req.send(body as object);
  }
}

/** A proposal body for tests; override what matters. */
export function proposal(delegateId: string, unitId: string, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    delegateId,
    taskType: 'case-distribution',
    scope: { unitId, queueId: 'queue-1' },
    direction: { purpose: 'Distribute incoming claims fairly', successCriteria: ['No case waits more than 2 days'] },
    framework: { rules: [{ id: 'r1', text: 'At most 5 open cases per colleague', mode: 'enforce' }], reservedDecisions: ['dismissals'], escalationContactId: 'manager-1' },
    authorities: ['cases.assign', 'cases.prioritise'],
    period: { from: new Date(now + 1000).toISOString(), until: new Date(now + 30 * 86_400_000).toISOString() },
    reviewCadenceDays: 30,
    ...overrides,
  };
}
