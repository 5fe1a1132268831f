import { ProblemException } from '@leadership/platform-nest';
import { AuthorityStaleError } from '../projection/authority-freshness';
import { AuthorityProjectionNotReadyError } from '../projection/authority.projection';
import { grantWhileFresh } from './fresh-grant';

const stale = new AuthorityStaleError({ fresh: false, stalenessMs: 4200, boundMs: 1000, caughtUpAt: '2026-03-01T00:00:00.000Z', reason: 'consumer reconnecting' });

/** What it throws, for the assertions below (fails the test when it throws nothing). */
function thrown(check: () => unknown, what?: string): ProblemException {
  try {
    if (what === undefined) grantWhileFresh(check);
    else grantWhileFresh(check, what);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('grantWhileFresh threw nothing');
}

describe('grantWhileFresh', () => {
  it('answers what the check answers while it is fresh', () => {
    expect(grantWhileFresh(() => 42)).toBe(42);
  });

  it('turns a stale projection into 503 with Retry-After, saying how far behind; `what` opens the detail', () => {
    const grant = thrown(() => {
      throw stale;
    });
    expect(grant.problem).toMatchObject({ status: 503, stalenessMs: 4200, boundMs: 1000, caughtUpAt: '2026-03-01T00:00:00.000Z' });
    expect(grant.problem.detail).toMatch(/^The authority check would allow this, but this service's copy of the mandates is 4200 ms behind .*consumer reconnecting/);
    expect(grant.headers).toEqual({ 'Retry-After': '1' });

    const role = thrown(() => {
      throw stale;
    }, 'role:case-distribution@unit:support is resolved from the mandates in force');
    expect(role.problem.detail).toMatch(/^role:case-distribution@unit:support is resolved from the mandates in force, but this service's copy of the mandates is 4200 ms behind/);
  });

  it('turns a projection not loaded yet into 503, and lets other errors through', () => {
    expect(
      thrown(() => {
        throw new AuthorityProjectionNotReadyError();
      }).problem,
    ).toMatchObject({ status: 503, detail: expect.stringMatching(/not available yet/) });
    expect(() =>
      grantWhileFresh(() => {
        throw new RangeError('bad instant');
      }),
    ).toThrow(RangeError);
  });
});
