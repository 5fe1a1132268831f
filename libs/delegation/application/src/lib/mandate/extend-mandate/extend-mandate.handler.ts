import type { EventStore } from '@leadership/event-store';
import type { ExtendMandate } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { ExclusiveScopeClaims } from '../exclusive-scope/exclusive-scope.claims';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';
import { existingMandate, taskTypeOrFail } from '../mandate.facts';

export interface ExtendMandateInput extends MandateCommandInput {
  /** The new end of the period (later than the current one). */
  readonly until: string;
}

/**
 * A manager of the mandate's unit extends its period. For an exclusive task type the longer
 * period is claimed on the scope only after the decider accepted the extension (see
 * ProposeMandateHandler for why the claim follows the decision and is judged by the domain's guard).
 */
export class ExtendMandateHandler implements UseCase<ExtendMandateInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;
  private readonly claims: ExclusiveScopeClaims;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {
    this.facts = new DelegationFacts(store);
    this.claims = new ExclusiveScopeClaims(store, this.facts, now);
  }

  execute(input: ExtendMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state): Promise<ExtendMandate> => {
        const mandate = existingMandate(state, input.mandateId);
        const [actorManagesUnit, taskType] = await Promise.all([
          this.facts.managesUnit(context.actorId, mandate.scope.unitId),
          taskTypeOrFail(this.facts, mandate.taskType),
        ]);
        return { type: 'ExtendMandate', data: { mandateId: input.mandateId, newUntil: input.until, actorId: context.actorId, at, context: { actorManagesUnit, taskType } } };
      },
      beforeAppend: ({ data }, state) => {
        const { scope, period } = existingMandate(state, input.mandateId);
        return this.claims.claimOrRefuse(data.context.taskType, { mandateId: input.mandateId, scope, period: { from: period.from, until: data.newUntil }, at }, context);
      },
    });
  }
}
