import type { DecisionStamp, RoleAddress } from '@leadership/onboarding-domain';

/** The authorities this context checks (granted by mandates of the `onboarding` task type). */
export type OnboardingAuthorityName = 'onboarding.plan' | 'onboarding.book-presenter';

/** Who holds a role now, and on which mandate (what a role-addressed booking records). */
export interface RoleHolder {
  readonly personId: string;
  readonly mandateId: string;
  readonly mandateVersion: number;
  /** The deputy the mandate names (asked when the holder says no to a session), if any. */
  readonly deputyId?: string | null;
}

/**
 * The local authority check and role resolution (the service's own projection of the mandates,
 * `libs/authority`), as the use cases need them.
 */
export interface OnboardingAuthority {
  /**
   * The stamp a decision records: a mandate granting `authority` in the unit, or formal management
   * of the unit. Throws {@link MissingAuthorityError} (403); an implementation that cannot answer
   * freshly throws its own "unavailable" error (503) rather than grant from stale state.
   */
  authorise(actorId: string, authority: OnboardingAuthorityName, unitId: string): DecisionStamp;
  /** Whether the person may act now, from what the projection holds (hand-over decisions after the mandate event was applied). */
  holds(personId: string, authority: OnboardingAuthorityName, unitId: string): boolean;
  /** Who holds the role at `at` (an active mandate of the task type for the unit), or null: nobody. */
  roleHolder(role: RoleAddress, at: string): RoleHolder | null;
  /** A formal manager of the unit (where work goes back to), if the projection knows one. */
  formalManagerOf(unitId: string): string | undefined;
}

/** The caller holds neither a mandate granting `authority` for the unit nor formal management of it. */
export class MissingAuthorityError extends Error {
  override readonly name = 'MissingAuthorityError';
  constructor(
    readonly actorId: string,
    readonly authority: string,
    readonly unitId: string,
    readonly reason: string,
    readonly mandateId: string | null = null,
    readonly mandateVersion: number | null = null,
  ) {
    super(`${actorId} may not ${authority} in unit ${unitId}: ${reason}`);
  }
}

/**
 * The stamp of a booking made for a session without a person deciding it (a hand-over, the next
 * candidate after a decline): on the organiser's authority to book, or else the unit's formal
 * manager's; undefined when neither is known (the session waits in the overview).
 */
export function bookingStampFor(authority: OnboardingAuthority, organiserId: string, unitId: string): DecisionStamp | undefined {
  const stamp = stampIfAllowed(authority, organiserId, 'onboarding.book-presenter', unitId);
  if (stamp) return stamp;
  const manager = authority.formalManagerOf(unitId);
  return manager ? { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: manager } : undefined;
}

/** The stamp when the actor holds the authority, null when they do not (a decision that may go ahead without it, e.g. planning without booking). */
export function stampIfAllowed(authority: OnboardingAuthority, actorId: string, name: OnboardingAuthorityName, unitId: string): DecisionStamp | null {
  try {
    return authority.authorise(actorId, name, unitId);
  } catch (error) {
    if (error instanceof MissingAuthorityError) return null;
    throw error;
  }
}
