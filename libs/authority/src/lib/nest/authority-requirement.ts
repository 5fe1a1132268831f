/** Where in the request a value is read: a route parameter, a top-level body field, or a query parameter. */
export type RequestValueSource = `${'params' | 'body' | 'query'}.${string}`;

/** Where `@RequireAuthority` finds the scope of the action. */
export interface RequireAuthorityOptions {
  /** The unit the action happens in (required in the request). */
  readonly unitFrom: RequestValueSource;
  /** The queue it concerns, when the action is queue-specific (optional in the request). */
  readonly queueFrom?: RequestValueSource;
  /** The project it concerns, when the action is project-specific (optional in the request). */
  readonly projectFrom?: RequestValueSource;
}

/** What `@RequireAuthority` records on a route for the guard. */
export interface AuthorityRequirement extends RequireAuthorityOptions {
  readonly authority: string;
}

/** Route metadata key of an {@link AuthorityRequirement}. */
export const REQUIRE_AUTHORITY = 'leadership:require-authority';
