import { ProblemException, problems } from '@leadership/platform-nest';
import { AuthorityStaleError, describeStaleness } from '../projection/authority-freshness';
import { AuthorityProjectionNotReadyError } from '../projection/authority.projection';

/**
 * Runs an authority check made with `mayFresh` and turns what must not be answered yet into the
 * 503 + `Retry-After` every service gives for it — the guard and the use cases' own authority
 * adapters alike: a grant while the projection is past its freshness bound (it might miss a
 * recent revocation or suspension), or any check before the projection has loaded. `what` opens
 * the 503's detail: what would have been answered (default: a grant); role resolution says its own.
 */
export function grantWhileFresh<T>(check: () => T, what = 'The authority check would allow this'): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AuthorityProjectionNotReadyError) {
      throw new ProblemException(problems.unavailable('Authority checks are not available yet (the projection is loading); retry shortly.'), { 'Retry-After': '1' });
    }
    if (error instanceof AuthorityStaleError) {
      const { stalenessMs, boundMs, reason, caughtUpAt } = error.freshness;
      throw new ProblemException(
        {
          ...problems.unavailable(
            `${what}, but this service's copy of the mandates is ${describeStaleness(stalenessMs)} behind the delegation event store, ` +
              `more than the ${boundMs} ms it may grant from (${reason ?? 'stale'}): a recent revocation or suspension might be missing. Retry shortly; GET /health shows the authority consumer.`,
          ),
          stalenessMs,
          boundMs,
          caughtUpAt,
        },
        { 'Retry-After': '1' },
      );
    }
    throw error;
  }
}
