import { DuplicateKeyError, isDuplicateKey, translateMongoError } from './mongo-errors';

describe('translateMongoError', () => {
  it('reads the key from MongoDB keyPattern', () => {
    const e = translateMongoError({ code: 11000, keyPattern: { email: 1 }, message: 'E11000' });
    expect(e).toBeInstanceOf(DuplicateKeyError);
    expect((e as DuplicateKeyError).key).toBe('email');
  });

  it('reads the key from the index name in the message', () => {
    expect((translateMongoError({ code: 11000, errmsg: 'E11000 duplicate key error index: email_1 dup key' }) as DuplicateKeyError).key).toBe('email');
    expect(isDuplicateKey({ code: 11000, errmsg: 'E11000 duplicate key error index: _id_ dup key' }, '_id')).toBe(true);
  });

  it('unwraps bulk write errors and leaves other errors alone', () => {
    expect(translateMongoError({ writeErrors: [{ code: 11000, keyValue: { _id: 'x' } }] })).toBeInstanceOf(DuplicateKeyError);
    const other = new Error('network');
    expect(translateMongoError(other)).toBe(other);
    expect(isDuplicateKey(other)).toBe(false);
  });
});
