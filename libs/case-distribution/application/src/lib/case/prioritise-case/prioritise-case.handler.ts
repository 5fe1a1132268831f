import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { caseStreamName, checkFrameworkRules, type Priority } from '@leadership/case-distribution-domain';
import type { CaseAuthority } from '../../authority/case-authority.port';
import type { CaseCommandResult } from '../case-command.result';
import { loadCase, runCaseCommand, versionToDecideOn } from '../case-commands/case-command.runner';

export interface PrioritiseCaseInput {
  readonly caseId: string;
  readonly priority: Priority;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/** A holder of `cases.prioritise` for the case's queue (or a formal manager of its unit) changes its priority. */
export class PrioritiseCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly authority: CaseAuthority,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: PrioritiseCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const { state, version } = await loadCase(this.store, input.caseId);
    const decideOn = versionToDecideOn(version, input.expectedVersion, caseStreamName(input.caseId));
    const { stamp, rules } = this.authority.authorise(context.actorId, 'cases.prioritise', { unitId: state.unitId, queueId: state.queueId });
    const frameworkViolations = checkFrameworkRules(rules, { type: 'prioritise', queueId: state.queueId, priority: input.priority }, {});
    const result = await runCaseCommand(
      this.store,
      input.caseId,
      { type: 'PrioritiseCase', data: { caseId: input.caseId, at: this.now().toISOString(), stamp, frameworkViolations, priority: input.priority, reason: input.reason } },
      context,
      decideOn,
    );
    // A new priority reorders the queue.
    if (result.events.length > 0) this.changed();
    return result;
  }
}
