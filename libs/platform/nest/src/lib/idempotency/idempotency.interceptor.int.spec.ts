import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { MongoClient } from 'mongodb';
import { lastValueFrom, of } from 'rxjs';
import { eventually, isolatedMongoUri } from '@leadership/testing';
import { IdempotencyInterceptor, type IdempotencyRecord } from './idempotency.interceptor';

describe('IdempotencyInterceptor outside HTTP', () => {
  const { uri, dbName } = isolatedMongoUri('idempotency');
  const client = new MongoClient(uri);
  afterAll(() => client.close());

  it('lets a Kafka handler (rpc context) through untouched, writing no record', async () => {
    const records = client.db(dbName).collection<IdempotencyRecord>('idempotency_records');
    const interceptor = new IdempotencyInterceptor(records);
    // An rpc context whose "request" is a Kafka payload: no headers, no method.
    const context = new ExecutionContextHost([{ topic: 'leadership.delegation.mandates.v1' }, {}]);
    context.setType('rpc');

    const result = await lastValueFrom(interceptor.intercept(context, { handle: () => of('handled') }));

    expect(result).toBe('handled');
    expect(await records.countDocuments()).toBe(0);
  });
});

/** An HTTP call as the interceptor sees it: the request (with the authenticated actor) and a response. */
function httpCall(key: string, body: unknown, path = '/mandates') {
  const headers = new Map<string, string>();
  const res = {
    statusCode: 201,
    getHeader: (name: string) => headers.get(name),
    setHeader: (name: string, value: string) => headers.set(name, value),
    status(code: number) {
      this.statusCode = code;
      return this;
    },
  };
  const req = { method: 'POST', path, originalUrl: path, headers: { 'idempotency-key': key }, body, actor: { personId: 'ana' } };
  const context = new ExecutionContextHost([req, res, () => undefined]);
  context.setType('http');
  return { context, res, headers };
}

describe('IdempotencyInterceptor: expiry and a failure after success', () => {
  const { uri, dbName } = isolatedMongoUri('idempotency-expiry');
  const client = new MongoClient(uri);
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('forgets a key after its retention: the same key runs again instead of replaying a day-old answer', async () => {
    const records = client.db(dbName).collection<IdempotencyRecord>('expiry');
    let clock = Date.parse('2026-03-01T09:00:00.000Z');
    const interceptor = new IdempotencyInterceptor(records, () => new Date(clock), { retentionMs: 3_600_000 });
    let runs = 0;
    const handler = { handle: () => of({ run: ++runs }) };
    expect(await lastValueFrom(interceptor.intercept(httpCall('k-1', { a: 1 }).context, handler))).toEqual({ run: 1 });
    clock += 60_000;
    const replay = httpCall('k-1', { a: 1 });
    expect(await lastValueFrom(interceptor.intercept(replay.context, handler))).toEqual({ run: 1 });
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    clock += 3_600_000;
    expect(await lastValueFrom(interceptor.intercept(httpCall('k-1', { a: 1 }).context, handler))).toEqual({ run: 2 });
  });

  it('sweeps records past retention', async () => {
    const records = client.db(dbName).collection<IdempotencyRecord>('sweep');
    await records.insertMany([
      { _id: 'old', fingerprint: 'x', state: 'completed', createdAt: new Date('2026-02-01T00:00:00.000Z') },
      { _id: 'recent', fingerprint: 'x', state: 'completed', createdAt: new Date('2026-03-01T08:30:00.000Z') },
    ]);
    const interceptor = new IdempotencyInterceptor(records, () => new Date('2026-03-01T09:00:00.000Z'), { retentionMs: 86_400_000 });
    await lastValueFrom(interceptor.intercept(httpCall('k-2', {}).context, { handle: () => of('ok') }));
    const left = await eventually(async () => {
      const ids = (await records.find({}).toArray()).map((r) => r._id).sort();
      return ids.includes('old') ? undefined : ids;
    }, { what: 'the old record swept' });
    expect(left).toEqual(expect.arrayContaining(['recent']));
  });

  it('answers an applied command with its result when storing the response fails (not 500), and keeps the key pending', async () => {
    const real = client.db(dbName).collection<IdempotencyRecord>('store-fails');
    const failures: unknown[] = [];
    // The database goes away between the command and storing its response.
    const records = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'updateOne') return () => Promise.reject(new Error('connection closed'));
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const interceptor = new IdempotencyInterceptor(records, () => new Date(), { onStoreFailure: (error) => failures.push(error) });
    const result = await lastValueFrom(interceptor.intercept(httpCall('k-3', { b: 2 }).context, { handle: () => of({ mandateId: 'm-1' }) }));
    expect(result).toEqual({ mandateId: 'm-1' });
    expect(failures).toHaveLength(1);
    expect(await real.findOne({})).toMatchObject({ state: 'pending' });
  });
});
