import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { MongoClient } from 'mongodb';
import { lastValueFrom, of } from 'rxjs';
import { isolatedMongoUri } from '@leadership/testing';
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
