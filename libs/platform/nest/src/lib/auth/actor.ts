/** The authenticated caller, from a verified bearer token. */
export interface Actor {
  /** Person id from the token's `sub`. */
  readonly personId: string;
  /** Platform roles from the token's `roles` claim (e.g. `admin`, `compliance`). */
  readonly roles: readonly string[];
}

export const ROLES = {
  admin: 'admin',
  compliance: 'compliance',
  /**
   * Other departments' systems and internal components: they may read what they integrate with
   * (e.g. authority answers, people), never change who leads what.
   */
  system: 'system',
  /**
   * The HR feed: the only machine caller that may write the directory. Kept apart from `system`
   * because a unit's `managerIds` is formal authority over the whole unit tree below it.
   */
  directorySync: 'directory-sync',
} as const;
