import { handleCommand, readAggregate, type EventStore, type HandleCommandResult } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { OverflowQueueUnknownError, QueueNotFoundError, queueDecider, queueStreamName, type ExistingQueue, type QueueCommand, type QueueConfig, type QueueEvent, type QueueState, type Skill } from '@leadership/case-distribution-domain';
import type { CaseAuthority } from '../../authority/case-authority.port';

/** The queue after a command, with its version (stream revision) for the ETag. */
export interface QueueCommandResult {
  readonly queue: ExistingQueue;
  readonly version: number;
  readonly created: boolean;
  readonly events: readonly QueueEvent['type'][];
}

/**
 * Queue configuration and its agents, by a formal manager of the queue's unit or a holder of
 * `cases.prioritise` for the queue (routing mode, SLA targets and capacities decide the order in
 * which work is done: that is prioritising). The unit of an existing queue is the one its events
 * say: authority is checked there, and a request naming another unit is refused (422
 * `queue.unit-fixed`), so a caller cannot move a queue into a unit they manage to take it over,
 * nor out of their delegator's reach. A new overflow target must be a defined queue (422
 * `queue.overflow-queue-unknown`); one in another unit also needs the caller's `cases.prioritise`
 * there (403 naming it): overflowing sends that unit work, which is prioritising its queue.
 */
export class ConfigureQueueHandler {
  constructor(
    private readonly store: EventStore,
    private readonly authority: CaseAuthority,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async put(queueId: string, config: QueueConfig, context: CommandContext): Promise<QueueCommandResult> {
    const current = await readAggregate(this.store, queueDecider, queueStreamName(queueId));
    const unitId = current.state.status === 'defined' ? current.state.config.unitId : config.unitId;
    const { stamp } = this.authority.authorise(context.actorId, 'cases.prioritise', { unitId, queueId });
    await this.requireOverflowTarget(queueId, config, current.state, unitId, context.actorId);
    const at = this.now().toISOString();
    const command: QueueCommand = current.state.status === 'defined' ? { type: 'ChangeQueue', data: { queueId, at, stamp, config } } : { type: 'DefineQueue', data: { queueId, at, stamp, config } };
    return this.run(queueId, command, context, current.revision);
  }

  async setAgent(queueId: string, agent: { personId: string; capacity: number; skills: readonly Skill[] }, context: CommandContext): Promise<QueueCommandResult> {
    const current = await this.existing(queueId);
    const { stamp } = this.authority.authorise(context.actorId, 'cases.prioritise', { unitId: current.state.config.unitId, queueId });
    return this.run(queueId, { type: 'SetQueueAgent', data: { queueId, at: this.now().toISOString(), stamp, ...agent } }, context, current.revision);
  }

  async removeAgent(queueId: string, personId: string, context: CommandContext): Promise<QueueCommandResult> {
    const current = await this.existing(queueId);
    const { stamp } = this.authority.authorise(context.actorId, 'cases.prioritise', { unitId: current.state.config.unitId, queueId });
    return this.run(queueId, { type: 'RemoveQueueAgent', data: { queueId, at: this.now().toISOString(), stamp, personId } }, context, current.revision);
  }

  /**
   * A new overflow target must be a defined queue (cases overflowed into an unknown one would wait
   * where nobody routes them), and one in another unit needs the caller's authority there too.
   */
  private async requireOverflowTarget(queueId: string, config: QueueConfig, current: QueueState, unitId: string, actorId: string): Promise<void> {
    const target = config.overflowQueueId?.trim();
    if (!target || target === queueId) return; // none, or the decider's own rule (not into itself)
    if (current.status === 'defined' && current.config.overflowQueueId === target) return;
    const { state } = await readAggregate(this.store, queueDecider, queueStreamName(target));
    if (state.status !== 'defined') throw new OverflowQueueUnknownError(queueId, target);
    if (state.config.unitId !== unitId) this.authority.authorise(actorId, 'cases.prioritise', { unitId: state.config.unitId, queueId: target });
  }

  private async existing(queueId: string): Promise<{ state: ExistingQueue; revision: number }> {
    const { state, revision } = await readAggregate(this.store, queueDecider, queueStreamName(queueId));
    if (state.status !== 'defined') throw new QueueNotFoundError(queueId);
    return { state, revision };
  }

  private async run(queueId: string, command: QueueCommand, context: CommandContext, revision: number): Promise<QueueCommandResult> {
    const stream = queueStreamName(queueId);
    const result: HandleCommandResult<QueueEvent, QueueState> = await handleCommand(this.store, stream, queueDecider, command, {
      expectedRevision: revision < 0 ? 'no_stream' : revision,
      metadata: metadataFor(context, stream),
    });
    if (result.newState.status !== 'defined' || result.nextExpectedRevision === 'no_stream') throw new QueueNotFoundError(queueId);
    // New agents or capacity may take waiting cases.
    if (result.newEvents.length > 0) this.changed();
    return { queue: result.newState, version: result.nextExpectedRevision, created: revision < 0, events: result.newEvents.map((event) => event.type) };
  }
}
