import { readAggregate, type EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { programmeDecider, programmeStreamName, type ExistingProgramme, type StepInput } from '@leadership/onboarding-domain';
import type { OnboardingAuthority } from '../../authority/onboarding-authority.port';
import { run, versionOf } from '../../shared/onboarding-commands';

export interface DefineProgrammeInput {
  readonly programmeId: string;
  readonly unitId: string;
  readonly title: string;
  readonly steps: readonly StepInput[];
}

/**
 * `PUT /programmes/{id}`: defines a programme or writes its next version (same content: no new
 * version). The authority is `onboarding.plan` in the programme's unit — the unit it already
 * belongs to, when it exists, so nobody moves another unit's template by naming their own.
 */
export class DefineProgrammeHandler {
  constructor(
    private readonly store: EventStore,
    private readonly authority: OnboardingAuthority,
    private readonly now: () => Date,
  ) {}

  async execute(input: DefineProgrammeInput, context: CommandContext): Promise<{ programme: ExistingProgramme; version: number; created: boolean }> {
    const stream = programmeStreamName(input.programmeId);
    const before = await readAggregate(this.store, programmeDecider, stream);
    const unitId = before.state.status === 'defined' ? before.state.unitId : input.unitId;
    const stamp = this.authority.authorise(context.actorId, 'onboarding.plan', unitId);
    const result = await run(this.store, stream, programmeDecider, { type: 'DefineProgramme', data: { ...input, at: this.now().toISOString(), stamp } }, context, before.revision < 0 ? undefined : before.revision);
    if (result.newState.status !== 'defined') throw new Error(`programme ${input.programmeId} has no state after its definition`);
    return { programme: result.newState, version: versionOf(result), created: before.state.status === 'none' };
  }
}
