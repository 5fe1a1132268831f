import type { EventStore } from '@leadership/event-store';
import type { ManagerContext, MandateCommand } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../facts/delegation.facts';
import type { UseCase } from '../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from './mandate-command.executor';
import { existingMandate } from './mandate.facts';

/**
 * A command whose only facts are the mandate's own stream (the delegate's answers, check-ins):
 * a subclass says which command the input is; loading, deciding and appending happen once, in
 * `executeMandateCommand`.
 */
export abstract class MandateCommandHandler<Input extends MandateCommandInput> implements UseCase<Input, MandateCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(input: Input, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, { command: () => this.command(input, context.actorId, at) });
  }

  protected abstract command(input: Input, actorId: string, at: string): MandateCommand;
}

/**
 * A formal manager's command: its one fact beyond the stream is whether the actor manages the
 * loaded mandate's unit (or a unit above it), read after the mandate, once.
 */
export abstract class ManagerCommandHandler<Input extends MandateCommandInput> implements UseCase<Input, MandateCommandResult> {
  private readonly facts: DelegationFacts;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {
    this.facts = new DelegationFacts(store);
  }

  execute(input: Input, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state) => {
        const actorManagesUnit = await this.facts.managesUnit(context.actorId, existingMandate(state, input.mandateId).scope.unitId);
        return this.command(input, context.actorId, at, { actorManagesUnit });
      },
    });
  }

  protected abstract command(input: Input, actorId: string, at: string, context: ManagerContext): MandateCommand;
}
