import { assertNever, type Decider } from '@leadership/kernel';
import { blank, sameData, validStamp } from '../shared/onboarding-vocabulary';
import { toStepDefinition, validateSteps } from '../step/step-definition';
import type { DefineProgramme, ProgrammeCommand } from './programme.commands';
import {
  ProgrammeStampInvalidError,
  ProgrammeStepsRequiredError,
  ProgrammeTitleRequiredError,
  ProgrammeTooLongError,
  ProgrammeUnitFixedError,
} from './programme.errors';
import type { ProgrammeContent, ProgrammeEvent } from './programme.events';

/** Most steps in one programme (see ProgrammeTooLongError). */
export const MAX_PROGRAMME_STEPS = 200;

/** A defined programme: its current content and version, and who last wrote it. */
export interface ExistingProgramme extends ProgrammeContent {
  readonly status: 'defined';
  readonly programmeId: string;
  readonly version: number;
  readonly changedAt: string;
  readonly changedBy: string;
}

/** State of a programme stream: `none` until it is defined. */
export type ProgrammeState = { readonly status: 'none' } | ExistingProgramme;

/** A programme version as a plan is generated from it (the application reads it from the stream). */
export interface ProgrammeSnapshot extends ProgrammeContent {
  readonly programmeId: string;
  readonly version: number;
}

export const snapshotOf = (programme: ExistingProgramme): ProgrammeSnapshot => ({
  programmeId: programme.programmeId,
  version: programme.version,
  unitId: programme.unitId,
  title: programme.title,
  steps: programme.steps,
});

function contentOf(command: DefineProgramme): ProgrammeContent {
  const { programmeId, title, unitId } = command.data;
  if (blank(title)) throw new ProgrammeTitleRequiredError(programmeId);
  if (command.data.steps.length === 0) throw new ProgrammeStepsRequiredError(programmeId);
  if (command.data.steps.length > MAX_PROGRAMME_STEPS) throw new ProgrammeTooLongError(programmeId, command.data.steps.length, MAX_PROGRAMME_STEPS);
  const steps = command.data.steps.map(toStepDefinition);
  validateSteps(programmeId, steps);
  return { unitId: unitId.trim(), title: title.trim(), steps };
}

function define(command: DefineProgramme, state: ProgrammeState): readonly ProgrammeEvent[] {
  const { programmeId, at, stamp } = command.data;
  if (!validStamp(stamp)) throw new ProgrammeStampInvalidError(programmeId);
  const content = contentOf(command);
  const base = { programmeId, actorId: stamp.actorId, at, stamp, ...content };
  if (state.status === 'none') return [{ type: 'ProgrammeDefined', data: { ...base, version: 1 } }];
  if (state.unitId !== content.unitId) throw new ProgrammeUnitFixedError(programmeId, state.unitId, content.unitId);
  // The same content again (a retried PUT) is no new version: plans would otherwise differ by nothing.
  if (sameData(content, { unitId: state.unitId, title: state.title, steps: state.steps })) return [];
  return [{ type: 'ProgrammeChanged', data: { ...base, version: state.version + 1 } }];
}

function evolve(_state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeDefined':
    case 'ProgrammeChanged': {
      // Every version carries the whole content: the latest event is the state.
      const { programmeId, version, unitId, title, steps, actorId, at } = event.data;
      return { status: 'defined', programmeId, version, unitId, title, steps, changedAt: at, changedBy: actorId };
    }
    default:
      return assertNever(event);
  }
}

/** The programme aggregate (stream `programme-<id>`, see `programmeStreamName`). */
export const programmeDecider: Decider<ProgrammeCommand, ProgrammeEvent, ProgrammeState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'DefineProgramme':
        return define(command, state);
      default:
        return assertNever(command.type);
    }
  },
};
