import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { AuthorityGuard } from './authority.guard';
import { REQUIRE_AUTHORITY, type AuthorityRequirement, type RequireAuthorityOptions } from './authority-requirement';

/**
 * `@RequireAuthority('cases.assign', { unitFrom: 'params.unitId', queueFrom: 'body.queueId' })`:
 * the caller must hold `authority` in that scope now, as the service's own authority projection
 * answers it (formal manager of the unit or above, or a mandate in force). Otherwise 403
 * problem+json with the reason. On success the handler gets the mandate stamp via
 * `@AuthorityStamp()`. Needs `AuthorityModule` and the platform's authentication (the caller).
 */
export function RequireAuthority(authority: string, options: RequireAuthorityOptions): MethodDecorator & ClassDecorator {
  if (authority.trim().length === 0) throw new Error('RequireAuthority needs an authority such as cases.assign');
  const requirement: AuthorityRequirement = { authority, ...options };
  return applyDecorators(SetMetadata(REQUIRE_AUTHORITY, requirement), UseGuards(AuthorityGuard));
}
