import { SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException, problems } from '../http/problem';
import type { Actor } from './actor';
import { AuthenticationError, type TokenVerifier } from './token-verifier';

const PUBLIC = 'leadership:public';
const ROLES = 'leadership:roles';

/** Marks a route as reachable without a token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The route needs one of these platform roles (403 with the reason otherwise). */
export const RequireRoles = (...roles: string[]) => SetMetadata(ROLES, roles);

type AuthenticatedRequest = Request & { actor?: Actor };

/** `@CurrentActor() actor: Actor` — the verified caller. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new ProblemException(problems.unauthenticated('No authenticated caller.'));
  return actor;
});

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); routes marked
 * @RequireRoles need one of the roles. 401 carries a WWW-Authenticate challenge.
 */
export class AuthGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="leadership"' };
    if (!header || !/^Bearer\s+\S+$/i.test(header)) {
      throw new ProblemException(problems.unauthenticated('Send a bearer token: Authorization: Bearer <jwt> (locally: npm run token -- --sub <personId>).'), challenge);
    }
    try {
      request.actor = await this.verifier.verify(header.replace(/^Bearer\s+/i, ''));
    } catch (error) {
      if (error instanceof AuthenticationError) {
        throw new ProblemException(problems.unauthenticated(error.message), {
          'WWW-Authenticate': `Bearer realm="leadership", error="invalid_token", error_description="${error.message}"`,
        });
      }
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => request.actor?.roles.includes(r))) {
      throw new ProblemException(
        problems.forbidden(`This needs the role ${roles.join(' or ')}; the token has ${request.actor.roles.length > 0 ? request.actor.roles.join(', ') : 'no roles'}.`, {
          requiredRoles: roles,
        }),
      );
    }
    return true;
  }
}
