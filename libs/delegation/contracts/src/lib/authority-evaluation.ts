import type { VersionedAuthorityMandate } from '@leadership/authority-evaluation';
import type { MandateSnapshot } from './mandate-changed.integration-event';

/*
 * `may(person, authority, scope, at)` is answered by every service from its own projection of the
 * mandate and directory topics, without a call to the delegation service on the hot path. The
 * evaluator itself lives in @leadership/authority-evaluation (the one the delegation service uses
 * too; see there why it is a shared pure library); it is re-exported here because its question and
 * answer are part of what this context publishes (GET /authority/check answers the same shape).
 */
export {
  evaluateAuthority,
  notInForceReason,
  type AuthorityBasis,
  type AuthorityDecision,
  type AuthorityFacts,
  type AuthorityQuery,
} from '@leadership/authority-evaluation';

/** A published mandate snapshot with the version it was published at (what a projection keeps per mandate). */
export type VersionedMandate = VersionedAuthorityMandate<MandateSnapshot>;
