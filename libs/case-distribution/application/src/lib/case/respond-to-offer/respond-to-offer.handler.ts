import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { agentDecider, agentStreamName } from '@leadership/case-distribution-domain';
import type { CaseCommandResult } from '../case-command.result';
import { loadCase, runCaseCommand } from '../case-commands/case-command.runner';

export interface DeclineOfferInput {
  readonly caseId: string;
  readonly reason: string;
}

/**
 * The offered agent answers an offer: accept (the case is theirs; their run of unanswered offers
 * starts over) or decline with a reason (the case goes back with its age, and is not offered to
 * them again). Only the agent the case is offered to may answer (the decider's rule, 422).
 */
export class RespondToOfferHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async accept(caseId: string, context: CommandContext): Promise<CaseCommandResult> {
    const { version } = await loadCase(this.store, caseId);
    const at = this.now().toISOString();
    const result = await runCaseCommand(this.store, caseId, { type: 'AcceptOffer', data: { caseId, actorId: context.actorId, at } }, context, version);
    if (result.events.length > 0) {
      const stream = agentStreamName(context.actorId);
      await handleCommand(this.store, stream, agentDecider, { type: 'NoteOfferAccepted', data: { personId: context.actorId, actorId: context.actorId, at, caseId } }, { metadata: metadataFor(context, stream) });
    }
    return result;
  }

  async decline(input: DeclineOfferInput, context: CommandContext): Promise<CaseCommandResult> {
    const { version } = await loadCase(this.store, input.caseId);
    const result = await runCaseCommand(this.store, input.caseId, { type: 'DeclineOffer', data: { caseId: input.caseId, actorId: context.actorId, at: this.now().toISOString(), reason: input.reason } }, context, version);
    // Back in the queue: route it to someone else now.
    if (result.events.length > 0) this.changed();
    return result;
  }
}
