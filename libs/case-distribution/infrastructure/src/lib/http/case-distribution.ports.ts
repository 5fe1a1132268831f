import { Inject } from '@nestjs/common';
import type { AuthorityProjection } from '@leadership/authority';
import { MissingAuthorityError, type CaseAuthority, type RoutingBoard } from '@leadership/case-distribution-application';
import type { ExistingCase } from '@leadership/case-distribution-domain';
import { ROLES, type Actor } from '@leadership/platform-nest';

/** The authority check of the use cases (the service's projection of the mandates). */
export const CASE_AUTHORITY = Symbol('CaseAuthority');
export const InjectCaseAuthority = () => Inject(CASE_AUTHORITY);

/** The routing board (read side of automatic distribution: board, fairness, loads). */
export const ROUTING_BOARD = Symbol('RoutingBoard');
export const InjectRoutingBoard = () => Inject(ROUTING_BOARD);

/** The authority projection itself, for compliance's re-check of past decisions as of their time. */
export const AUTHORITY_PROJECTION = Symbol('AuthorityProjectionForAudit');
export const InjectAuthorityProjection = () => Inject(AUTHORITY_PROJECTION);
export type { AuthorityProjection, RoutingBoard };

/** Roles that may read every case (compliance audits, systems integrate, admins operate). */
const READ_ALL_ROLES: readonly string[] = [ROLES.compliance, ROLES.admin, ROLES.system];

export const readsEverything = (actor: Actor): boolean => actor.roles.some((role) => READ_ALL_ROLES.includes(role));

/**
 * Who may see a case: the person it is offered or assigned to, whoever may assign in its queue
 * (the case manager, formal managers of the unit), and the read-all roles. Others get 403: a
 * case holds customers' details.
 */
export function mayReadCase(authority: CaseAuthority, actor: Actor, state: Pick<ExistingCase, 'unitId' | 'queueId' | 'assigneeId' | 'offer'>): boolean {
  if (readsEverything(actor)) return true;
  if (state.assigneeId === actor.personId || state.offer?.agentId === actor.personId) return true;
  return mayManageQueue(authority, actor, state);
}

/** Holds `cases.assign` for the queue (a case manager by mandate, or a formal manager of its unit). */
export function mayManageQueue(authority: CaseAuthority, actor: Actor, scope: { unitId: string; queueId: string }): boolean {
  try {
    authority.authorise(actor.personId, 'cases.assign', { unitId: scope.unitId, queueId: scope.queueId });
    return true;
  } catch (error) {
    if (error instanceof MissingAuthorityError) return false;
    throw error;
  }
}
