import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException, problems, type Actor } from '@leadership/platform-nest';
import { AuthorityProjection } from '../projection/authority.projection';
import { grantWhileFresh } from './fresh-grant';
import { REQUIRE_AUTHORITY, type AuthorityRequirement, type RequestValueSource } from './authority-requirement';
import { MANDATE_STAMP_PROPERTY, type MandateStamp } from './authority-stamp.decorator';

type GuardedRequest = Request & { actor?: Actor; [MANDATE_STAMP_PROPERTY]?: MandateStamp };

/** Ids in the request are bounded like every id at our edges. */
const MAX_ID_LENGTH = 128;

/**
 * Enforces `@RequireAuthority`: reads the scope from the request, asks the local projection
 * (no call to the delegation service) under the freshness rule (`mayFresh`), answers 403
 * problem+json with the reason when denied, 503 with `Retry-After: 1` when it would grant but the
 * projection is further behind the delegation event store than the bound, and attaches the mandate
 * stamp for `@AuthorityStamp()` when allowed. Runs after the platform's global AuthGuard, which
 * has verified the caller.
 */
@Injectable()
export class AuthorityGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthorityProjection) private readonly projection: AuthorityProjection,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const requirement = this.reflector.getAllAndOverride<AuthorityRequirement | undefined>(REQUIRE_AUTHORITY, [context.getHandler(), context.getClass()]);
    if (!requirement) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const actor = request.actor;
    if (!actor) throw new ProblemException(problems.unauthenticated('No authenticated caller.'));

    const unitId = readId(request, requirement.unitFrom);
    if (unitId === undefined) throw new ProblemException(problems.validation([{ path: requirement.unitFrom, message: 'required: the unit the action concerns' }]));
    const queueId = requirement.queueFrom ? readId(request, requirement.queueFrom) : undefined;
    const projectId = requirement.projectFrom ? readId(request, requirement.projectFrom) : undefined;
    const scope = { unitId, ...(queueId !== undefined ? { queueId } : {}), ...(projectId !== undefined ? { projectId } : {}) };
    const at = this.projection.now().toISOString();

    const decision = grantWhileFresh(() => this.projection.mayFresh({ personId: actor.personId, authority: requirement.authority, ...scope, at }));
    if (!decision.allowed || decision.basis === null) {
      throw new ProblemException(
        problems.forbidden(decision.reason, {
          authority: requirement.authority,
          ...scope,
          mandateId: decision.mandateId,
          mandateVersion: decision.mandateVersion,
        }),
      );
    }
    request[MANDATE_STAMP_PROPERTY] = {
      actorId: actor.personId,
      authority: requirement.authority,
      ...scope,
      at,
      basis: decision.basis,
      mandateId: decision.mandateId,
      mandateVersion: decision.mandateVersion,
    };
    return true;
  }
}

/** A scope id from the request, undefined when absent; 400 problem+json when it is not a short string. */
function readId(request: GuardedRequest, source: RequestValueSource): string | undefined {
  const dot = source.indexOf('.');
  const part = source.slice(0, dot) as 'params' | 'body' | 'query';
  const field = source.slice(dot + 1);
  const container: unknown = request[part];
  const value = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[field] : undefined;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH) {
    throw new ProblemException(problems.validation([{ path: source, message: `expected an id of at most ${MAX_ID_LENGTH} characters` }]));
  }
  return value;
}
