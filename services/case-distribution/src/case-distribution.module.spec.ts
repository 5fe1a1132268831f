import { MongoNetworkError } from 'mongodb';
import { caseDistributionErrorMappers } from './case-distribution.module';

const mapped = (error: unknown) => caseDistributionErrorMappers.map((map) => map(error)).find((problem) => problem !== undefined);

describe('caseDistributionErrorMappers', () => {
  it('answers 503 (retry) while MongoDB is unreachable, not 500: lists, the decisions report and Idempotency-Key requests need it', () => {
    expect(mapped(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'))).toMatchObject({ status: 503, detail: expect.stringContaining('(MongoDB) is unreachable') });
    // What the driver throws after serverSelectionTimeoutMS (its constructor wants a live topology).
    expect(mapped(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' }))).toMatchObject({ status: 503 });
    const mongooseOutage = Object.assign(new Error('Operation `cases.find()` buffering timed out'), { name: 'MongooseServerSelectionError' });
    expect(mapped(mongooseOutage)).toMatchObject({ status: 503 });
  });

  it('leaves other MongoDB errors to the platform (a 500 that is logged)', () => {
    expect(mapped(Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError' }))).toBeUndefined();
    expect(mapped(new Error('boom'))).toBeUndefined();
  });
});
