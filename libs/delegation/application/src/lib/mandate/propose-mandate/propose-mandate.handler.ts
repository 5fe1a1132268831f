import type { EventStore } from '@leadership/event-store';
import type { ProposeMandate } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { assertFrameworkChecks, NO_FRAMEWORK_CHECKS, type FrameworkChecks } from '../framework-checks.port';
import { ExclusiveScopeClaims } from '../exclusive-scope/exclusive-scope.claims';
import { executeMandateCommand, type MandateCommandResult } from '../mandate-command.executor';
import { taskTypeOrFail } from '../mandate.facts';

/** What a manager sends to propose a mandate; the delegator is the caller, time and facts are added here. */
export type ProposeMandateInput = Omit<ProposeMandate['data'], 'delegatorId' | 'actorId' | 'at' | 'context'>;

/**
 * A formal manager proposes a mandate. Reads each fact once (task type, the caller's management of
 * the unit, the delegate's membership, the mandate's own stream) and decides once.
 *
 * Exclusive task types ("one case manager per queue") also claim the scope, and the claim must
 * come after every other rule passed, so that a refused proposal leaves no claim that would block
 * the scope for others. The decider therefore decides without an overlap fact; only a proposal it
 * accepted claims the scope, and an overlap found by the claim is refused by the domain's own
 * `refuseExclusiveOverlap` guard (the rule the decider ends with), not by a second decision. A
 * retried proposal of an existing mandate decides to do nothing and claims nothing. If the append
 * fails after a successful claim, the claim names a mandate whose stream does not exist: it blocks
 * the scope only for the claims' grace period (see exclusive-scope.claims.ts), then is ignored.
 */
export class ProposeMandateHandler implements UseCase<ProposeMandateInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;
  private readonly claims: ExclusiveScopeClaims;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly frameworkChecks: FrameworkChecks = NO_FRAMEWORK_CHECKS,
  ) {
    this.facts = new DelegationFacts(store);
    this.claims = new ExclusiveScopeClaims(store, this.facts, now);
  }

  async execute(input: ProposeMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    // Before any read: a check no context can evaluate is bad input, whatever the facts say.
    assertFrameworkChecks(this.frameworkChecks, input.framework.rules);
    const at = this.now().toISOString();
    // These facts do not depend on the mandate's stream: read them while it is read.
    const facts = Promise.all([
      taskTypeOrFail(this.facts, input.taskType),
      this.facts.managesUnit(context.actorId, input.scope.unitId),
      this.facts.person(input.delegateId),
    ]);
    // Awaited by the plan below; this keeps a failure from going unhandled if the stream read fails first.
    facts.catch(() => undefined);
    return executeMandateCommand(this.store, { mandateId: input.mandateId }, context, {
      command: async (): Promise<ProposeMandate> => {
        const [taskType, delegatorManagesUnit, delegate] = await facts;
        return {
          type: 'ProposeMandate',
          data: {
            ...input,
            delegatorId: context.actorId,
            actorId: context.actorId,
            at,
            context: { delegatorManagesUnit, delegateIsMemberOfUnit: delegate?.unitIds.includes(input.scope.unitId) ?? false, taskType },
          },
        };
      },
      beforeAppend: ({ data }) => this.claims.claimOrRefuse(data.context.taskType, { mandateId: data.mandateId, scope: data.scope, period: data.period, at }, context),
    });
  }
}
