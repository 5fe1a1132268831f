import type { Request } from 'express';
import { ProblemException } from './problem';
import { expectedVersion } from './command-context';

const withIfMatch = (value?: string) => ({ headers: value === undefined ? {} : { 'if-match': value } }) as unknown as Request;
const statusOf = (value?: string): number => {
  try {
    expectedVersion(withIfMatch(value));
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.status;
    throw error;
  }
  return 200;
};

describe('expectedVersion (If-Match on state changes)', () => {
  it('reads the version of a strong ETag', () => {
    expect(expectedVersion(withIfMatch('"3"'))).toBe(3);
    expect(expectedVersion(withIfMatch(' "12" '))).toBe(12);
  });

  it.each([
    ['missing', undefined, 428],
    ['weak: never matches under the strong comparison If-Match uses', 'W/"3"', 412],
    ['unquoted', '3', 400],
    ['a wildcard', '*', 400],
    ['a list', '"3", "4"', 400],
    ['not a version', '"abc"', 400],
  ])('refuses an If-Match that is %s', (_what, value, status) => {
    expect(statusOf(value)).toBe(status);
  });
});
