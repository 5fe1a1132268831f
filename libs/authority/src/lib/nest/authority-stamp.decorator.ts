import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthorityDecision } from '@leadership/delegation-contracts';

/**
 * The mandate stamp: what a delegated action records about the authority it relied on — who
 * acted, on what basis, and (for `mandate`) which mandate at which version — so that compliance
 * can list actions taken outside a mandate or after it ended.
 */
export interface MandateStamp {
  /** Person id of the caller (token `sub`). */
  readonly actorId: string;
  readonly authority: string;
  readonly unitId: string;
  readonly queueId?: string;
  readonly projectId?: string;
  /** When the authority was checked (ISO-8601). */
  readonly at: string;
  readonly basis: NonNullable<AuthorityDecision['basis']>;
  /** The mandate relied on; null for `formal-manager`. */
  readonly mandateId: string | null;
  /** Its version (stream revision) at the check; null for `formal-manager`. */
  readonly mandateVersion: number | null;
}

/** The request property the authority guard attaches the stamp to. */
export const MANDATE_STAMP_PROPERTY = 'mandateStamp';

/** `@AuthorityStamp() stamp: MandateStamp` — the stamp of a route guarded by `@RequireAuthority`. */
export const AuthorityStamp = createParamDecorator((_: unknown, ctx: ExecutionContext): MandateStamp => {
  const stamp = ctx.switchToHttp().getRequest<Record<string, unknown>>()[MANDATE_STAMP_PROPERTY] as MandateStamp | undefined;
  // A wiring mistake, not a client error: the route lacks @RequireAuthority.
  if (!stamp) throw new Error('@AuthorityStamp() is only available on routes guarded by @RequireAuthority(...)');
  return stamp;
});
