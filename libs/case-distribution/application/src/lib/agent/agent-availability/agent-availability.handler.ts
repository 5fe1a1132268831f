import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { agentDecider, agentStreamName, type AgentCommand, type AgentState, type Presence } from '@leadership/case-distribution-domain';

/** The agent after a command, with its version. */
export interface AgentCommandResult {
  readonly agent: AgentState;
  readonly version: number;
  readonly events: readonly string[];
}

/**
 * Presence (set by the agent themself), absences (the agent, or HR systems with the `system`
 * role: the controller checks who), and windows of work elsewhere published by other contexts
 * (onboarding sessions an agent presents). Every change nudges routing: an agent coming back
 * takes waiting work, one leaving gets no new offers.
 */
export class AgentAvailabilityHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  setPresence(personId: string, status: Presence, context: CommandContext): Promise<AgentCommandResult> {
    return this.run(personId, { type: 'SetPresence', data: { personId, actorId: context.actorId, at: this.now().toISOString(), status } }, context);
  }

  recordAbsence(personId: string, absence: { absenceId: string; from: string; to: string }, context: CommandContext): Promise<AgentCommandResult> {
    return this.run(personId, { type: 'RecordAbsence', data: { personId, actorId: context.actorId, at: this.now().toISOString(), ...absence } }, context);
  }

  cancelAbsence(personId: string, absenceId: string, context: CommandContext): Promise<AgentCommandResult> {
    return this.run(personId, { type: 'CancelAbsence', data: { personId, actorId: context.actorId, at: this.now().toISOString(), absenceId } }, context);
  }

  recordUnavailability(personId: string, window: { sourceId: string; source: string; from: string; to: string }, context: CommandContext): Promise<AgentCommandResult> {
    return this.run(personId, { type: 'RecordUnavailability', data: { personId, actorId: context.actorId, at: this.now().toISOString(), ...window } }, context);
  }

  /** The work elsewhere was cancelled or moved to someone else: the window is given back. */
  withdrawUnavailability(personId: string, sourceId: string, context: CommandContext): Promise<AgentCommandResult> {
    return this.run(personId, { type: 'WithdrawUnavailability', data: { personId, actorId: context.actorId, at: this.now().toISOString(), sourceId } }, context);
  }

  private async run(personId: string, command: AgentCommand, context: CommandContext): Promise<AgentCommandResult> {
    const stream = agentStreamName(personId);
    const result = await handleCommand(this.store, stream, agentDecider, command, { metadata: metadataFor(context, stream) });
    if (result.newEvents.length > 0) this.changed();
    return { agent: result.newState, version: typeof result.nextExpectedRevision === 'number' ? result.nextExpectedRevision : -1, events: result.newEvents.map((event) => event.type) };
  }
}
