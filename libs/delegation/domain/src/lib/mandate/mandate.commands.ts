import type { TaskTypeDefinition } from '../task-type/task-type';
import type {
  MandateDirection,
  MandateFramework,
  MandatePeriod,
  MandateScope,
  ReconfirmationReason,
} from './mandate';

/*
 * Commands of the mandate decider. Every command names the mandate, the acting person (or system
 * component, e.g. `system:scheduler`) and the instant it happens: the domain never reads a clock.
 * Facts the decider cannot know from the mandate's own stream (who manages which unit, the task
 * type, overlapping mandates) arrive in `context`, computed by the application from projections.
 */

interface MandateCommandData {
  readonly mandateId: string;
  readonly actorId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** Facts for commands a formal manager gives. */
export interface ManagerContext {
  /** The actor is a formal manager of the scope unit or of one of its ancestors. */
  readonly actorManagesUnit: boolean;
}

/** A mandate the delegator holds, when they re-delegate instead of acting as formal manager. */
export interface RedelegationBasis {
  readonly mandateId: string;
  /** Authorities in force on it now. */
  readonly authorities: readonly string[];
  readonly until: string;
}

export interface ProposeMandateContext {
  /** The delegator is a formal manager of the scope unit or of one of its ancestors. */
  readonly delegatorManagesUnit: boolean;
  /** An in-force mandate of the same task type and scope held by the delegator; only read when they are not a manager. */
  readonly delegatorMandate?: RedelegationBasis;
  readonly delegateIsMemberOfUnit: boolean;
  readonly taskType: TaskTypeDefinition;
  /** Another mandate of this (exclusive) type whose scope equals this one and whose period overlaps. */
  readonly overlappingExclusiveMandateId?: string;
}

/** A formal manager proposes a mandate; it takes effect only once the delegate accepts. */
export interface ProposeMandate {
  readonly type: 'ProposeMandate';
  readonly data: MandateCommandData & {
    readonly delegatorId: string;
    readonly delegateId: string;
    readonly taskType: string;
    readonly scope: MandateScope;
    readonly direction: MandateDirection;
    readonly framework: MandateFramework;
    readonly authorities: readonly string[];
    readonly period: MandatePeriod;
    readonly reviewCadenceDays: number;
    readonly deputyId?: string;
    readonly context: ProposeMandateContext;
  };
}

/** The delegate consents to a proposal, or to a pending expansion of authorities. */
export interface AcceptMandate {
  readonly type: 'AcceptMandate';
  readonly data: MandateCommandData;
}

/** The delegate refuses a proposal, or a pending expansion of authorities. */
export interface DeclineMandate {
  readonly type: 'DeclineMandate';
  readonly data: MandateCommandData & { readonly reason: string };
}

/** What an amendment may change; fields left out stay. `authorities` is the complete new set. */
export interface MandateAmendment {
  readonly authorities?: readonly string[];
  readonly direction?: MandateDirection;
  readonly framework?: MandateFramework;
  /** null removes the deputy. */
  readonly deputyId?: string | null;
  readonly reviewCadenceDays?: number;
}

/**
 * A formal manager changes the terms. Reductions of authorities apply at once; authorities added
 * to an accepted mandate wait for the delegate's acceptance (`MandateExpansionProposed`).
 */
export interface AmendMandate {
  readonly type: 'AmendMandate';
  readonly data: MandateCommandData & {
    readonly changes: MandateAmendment;
    readonly context: ManagerContext & { readonly taskType: TaskTypeDefinition };
  };
}

/** A formal manager moves the end of the period later (never beyond the task type's longest period). */
export interface ExtendMandate {
  readonly type: 'ExtendMandate';
  readonly data: MandateCommandData & {
    readonly newUntil: string;
    readonly context: ManagerContext & {
      readonly taskType: TaskTypeDefinition;
      /** Another exclusive mandate in the same scope overlapping the extended period. */
      readonly overlappingExclusiveMandateId?: string;
    };
  };
}

/** A formal manager puts an active mandate on hold. */
export interface SuspendMandate {
  readonly type: 'SuspendMandate';
  readonly data: MandateCommandData & { readonly reason: string; readonly context: ManagerContext };
}

/** A formal manager lifts a suspension. */
export interface ResumeMandate {
  readonly type: 'ResumeMandate';
  readonly data: MandateCommandData & { readonly context: ManagerContext };
}

/** A formal manager ends the mandate (or withdraws a proposal). */
export interface RevokeMandate {
  readonly type: 'RevokeMandate';
  readonly data: MandateCommandData & { readonly reason: string; readonly context: ManagerContext };
}

/** The delegate gives the mandate back. */
export interface RelinquishMandate {
  readonly type: 'RelinquishMandate';
  readonly data: MandateCommandData & { readonly reason: string };
}

/** The scheduler ends the mandate at `until`. */
export interface ExpireMandate {
  readonly type: 'ExpireMandate';
  readonly data: MandateCommandData;
}

/** A formal manager ends the mandate because its purpose is achieved. */
export interface CompleteMandate {
  readonly type: 'CompleteMandate';
  readonly data: MandateCommandData & { readonly note?: string; readonly context: ManagerContext };
}

/** The scheduler puts an accepted mandate in force at `from`. */
export interface ActivateMandate {
  readonly type: 'ActivateMandate';
  readonly data: MandateCommandData;
}

/** Delegate or delegator record that they reviewed the mandate together. */
export interface RecordCheckIn {
  readonly type: 'RecordCheckIn';
  readonly data: MandateCommandData & { readonly note: string };
}

/** The scheduler flags a mandate whose delegator lost the basis they issued it on. */
export interface FlagMandateForReconfirmation {
  readonly type: 'FlagMandateForReconfirmation';
  readonly data: MandateCommandData & { readonly reason: ReconfirmationReason };
}

/** A formal manager of the unit takes over a flagged mandate as its delegator. */
export interface ConfirmMandate {
  readonly type: 'ConfirmMandate';
  readonly data: MandateCommandData & { readonly context: ManagerContext };
}

export type MandateCommand =
  | ProposeMandate
  | AcceptMandate
  | DeclineMandate
  | AmendMandate
  | ExtendMandate
  | SuspendMandate
  | ResumeMandate
  | RevokeMandate
  | RelinquishMandate
  | ExpireMandate
  | CompleteMandate
  | ActivateMandate
  | RecordCheckIn
  | FlagMandateForReconfirmation
  | ConfirmMandate;
