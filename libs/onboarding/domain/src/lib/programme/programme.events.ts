import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import type { StepDefinition } from '../step/step-definition';

/*
 * Events of the programme stream (`programme-<id>`). Each carries the whole content of its version:
 * a plan generated from version 3 can always be explained from version 3's event alone.
 */

/** The content of one version of a programme. */
export interface ProgrammeContent {
  readonly unitId: string;
  readonly title: string;
  readonly steps: readonly StepDefinition[];
}

interface ProgrammeEventData extends ProgrammeContent {
  readonly programmeId: string;
  /** 1 for the definition, then one more per change. */
  readonly version: number;
  readonly actorId: string;
  readonly at: string;
  readonly stamp: DecisionStamp;
}

export interface ProgrammeDefined {
  readonly type: 'ProgrammeDefined';
  readonly data: ProgrammeEventData;
}

export interface ProgrammeChanged {
  readonly type: 'ProgrammeChanged';
  readonly data: ProgrammeEventData;
}

/** The one event union of the programme aggregate. */
export type ProgrammeEvent = ProgrammeDefined | ProgrammeChanged;
