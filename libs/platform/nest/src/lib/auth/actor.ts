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
  /** Other departments' systems and internal components. */
  system: 'system',
} as const;
