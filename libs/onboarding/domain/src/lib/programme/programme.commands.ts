import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import type { StepInput } from '../step/step-definition';

/*
 * Commands of the programme decider (stream `programme-<id>`). A programme is a template of steps
 * for the newcomers of a unit; plans copy a version of it and never change it back.
 */

/**
 * Defines the programme, or replaces its content (`PUT /programmes/{id}`): one command for both, as
 * the resource is written whole; the decider tells a definition from a change and numbers the
 * versions. Who wrote it on which authority is the stamp.
 */
export interface DefineProgramme {
  readonly type: 'DefineProgramme';
  readonly data: {
    readonly programmeId: string;
    readonly at: string;
    readonly stamp: DecisionStamp;
    readonly unitId: string;
    readonly title: string;
    readonly steps: readonly StepInput[];
  };
}

export type ProgrammeCommand = DefineProgramme;
