import { SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ProblemException, problems } from '../http/problem';
import type { Actor } from './actor';
import { authenticateRequest, type AuthenticatedRequest } from './authenticate-request';
import type { TokenVerifier } from './token-verifier';

/** Metadata key of @Public(); also read by the authentication middleware (public-routes.ts). */
export const PUBLIC_ROUTE = 'leadership:public';
const ROLES = 'leadership:roles';

/** Marks a route as reachable without a token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The route needs one of these platform roles (403 with the reason otherwise). */
export const RequireRoles = (...roles: string[]) => SetMetadata(ROLES, roles);

/** `@CurrentActor() actor: Actor` — the verified caller. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new ProblemException(problems.unauthenticated('No authenticated caller.'));
  return actor;
});

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); routes marked
 * @RequireRoles need one of the roles. In an app made by createHttpService the token was already
 * verified by the authentication middleware (before the body was read) and the guard only checks
 * roles; elsewhere (an app assembled by hand) it verifies the token itself.
 */
export class AuthGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = request.actor ?? (await authenticateRequest(this.verifier, request));
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => actor.roles.includes(r))) {
      throw new ProblemException(
        problems.forbidden(`This needs the role ${roles.join(' or ')}; the token has ${actor.roles.length > 0 ? actor.roles.join(', ') : 'no roles'}.`, {
          requiredRoles: roles,
        }),
      );
    }
    return true;
  }
}
