import { handleCommand, type EventStore } from '@leadership/event-store';
import { personDecider, personStreamName, toMillis, type Absence } from '@leadership/delegation-domain';
import { deterministicId, metadataFor, type CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';

export interface SetPersonAbsencesInput {
  readonly personId: string;
  /** The whole list after the change; a period without `absenceId` gets one derived from the person and its times. */
  readonly absences: readonly { readonly absenceId?: string; readonly from: string; readonly to: string }[];
  /** The person's version the writer read (`If-Match`): another is a conflict, reported at once. Without it the last writer wins. */
  readonly expectedVersion?: number;
}

export interface SetPersonAbsencesResult {
  readonly personId: string;
  /** The person's version (stream revision) after the command. */
  readonly version: number;
  readonly absences: readonly Absence[];
  readonly changed: boolean;
}

/**
 * Replaces a person's absence periods (the person, their managers or HR; who may is the caller's
 * check). Derived ids are stable, so sending the same periods again changes nothing.
 */
export class SetPersonAbsencesHandler implements UseCase<SetPersonAbsencesInput, SetPersonAbsencesResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute({ personId, absences, expectedVersion }: SetPersonAbsencesInput, context: CommandContext): Promise<SetPersonAbsencesResult> {
    const stream = personStreamName(personId);
    const withIds = absences.map(({ absenceId, from, to }) => ({
      // From the instants, not their spelling: the same period written with another offset keeps its id.
      absenceId: absenceId ?? deterministicId('absence', personId, String(toMillis(from)), String(toMillis(to))),
      from,
      to,
    }));
    const result = await handleCommand(
      this.store,
      stream,
      personDecider,
      { type: 'SetPersonAbsences', data: { personId, absences: withIds, actorId: context.actorId, at: this.now().toISOString() } },
      { metadata: metadataFor(context, stream), ...(expectedVersion !== undefined ? { expectedRevision: expectedVersion } : {}) },
    );
    const state = result.newState;
    return {
      personId,
      version: Number(result.nextExpectedRevision),
      absences: state.status === 'registered' ? state.person.absences : [],
      changed: result.newEvents.length > 0,
    };
  }
}
