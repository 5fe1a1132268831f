import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { agentAvailabilityAt, caseStreamName, channelWeight, checkFrameworkRules, QueueNotFoundError, type AssignCase } from '@leadership/case-distribution-domain';
import type { CaseAuthority } from '../../authority/case-authority.port';
import type { RoutingBoard } from '../../routing/routing-board';
import type { CaseCommandResult } from '../case-command.result';
import { loadCase, runCaseCommand, versionToDecideOn } from '../case-commands/case-command.runner';

export interface AssignCaseInput {
  readonly caseId: string;
  readonly assigneeId: string;
  readonly reason: string;
  /** The caller knows the assignee is over capacity and assigns anyway (the reason says why). */
  readonly overCapacity?: boolean;
  /** From If-Match. */
  readonly expectedVersion?: number;
}

/**
 * Manual assignment (`assign`: a queued or offered case) and reassignment (`reassign`: an
 * assigned one), by a holder of `cases.assign` / `cases.reassign` for the case's queue or a formal
 * manager of its unit. Facts are gathered once — the case, the caller's authority (the stamp and
 * the mandate's machine-checkable rules), the assignee's load across queues and absence — and
 * the decider decides once: `enforce` rules refuse (422 naming the rule), only an agent of the
 * case's queue can be the assignee (422 `case.assignee-not-agent`), over capacity only with
 * `overCapacity` and a reason, `warn` rules are recorded with the decision.
 */
export class AssignCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly board: RoutingBoard,
    private readonly authority: CaseAuthority,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  assign(input: AssignCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    return this.decide('assign', input, context);
  }

  reassign(input: AssignCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    return this.decide('reassign', input, context);
  }

  private async decide(action: 'assign' | 'reassign', input: AssignCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const [{ state, version }] = await Promise.all([loadCase(this.store, input.caseId), this.board.catchUp()]);
    const decideOn = versionToDecideOn(version, input.expectedVersion, caseStreamName(input.caseId));
    const { stamp, rules } = this.authority.authorise(context.actorId, action === 'assign' ? 'cases.assign' : 'cases.reassign', { unitId: state.unitId, queueId: state.queueId });
    const queue = this.board.queue(state.queueId);
    if (!queue) throw new QueueNotFoundError(state.queueId);
    const at = this.now().toISOString();
    const member = queue.agents.find((agent) => agent.personId === input.assigneeId);
    const load = this.board.loadOf(input.assigneeId).units;
    const capacity = { load, capacity: member?.capacity ?? 0, caseWeight: channelWeight(queue.config, state.channel), agent: member !== undefined };
    const absent = agentAvailabilityAt(this.board.agent(input.assigneeId), at).absent;
    const frameworkViolations = checkFrameworkRules(rules, { type: action, queueId: state.queueId, assigneeId: input.assigneeId }, { assignee: { ...capacity, absent } });
    const data: AssignCase['data'] = { caseId: input.caseId, at, stamp, frameworkViolations, assigneeId: input.assigneeId, reason: input.reason, overCapacity: input.overCapacity ?? false, capacity };
    const result = await runCaseCommand(this.store, input.caseId, action === 'assign' ? { type: 'AssignCase', data } : { type: 'ReassignCase', data }, context, decideOn);
    if (result.events.length > 0) this.changed();
    return result;
  }
}
