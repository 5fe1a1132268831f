import type {
  MandateBasis,
  MandateDirection,
  MandateFramework,
  MandatePeriod,
  MandateScope,
  ReconfirmationReason,
} from './mandate';

/*
 * Events of the mandate stream (`delegation-<mandateId>`). Each carries the mandate id, who caused
 * it (`actorId`) and when (`at`), plus everything needed to rebuild state and answer audit
 * questions without another source. The mandate version is the stream revision, not a field.
 */

interface MandateEventData {
  readonly mandateId: string;
  readonly actorId: string;
  readonly at: string;
}

/** The terms a mandate was proposed with. */
export interface MandateTerms {
  readonly delegatorId: string;
  readonly delegateId: string;
  readonly taskType: string;
  readonly scope: MandateScope;
  readonly direction: MandateDirection;
  readonly framework: MandateFramework;
  readonly authorities: readonly string[];
  readonly period: MandatePeriod;
  readonly reviewCadenceDays: number;
  readonly deputyId: string | null;
  readonly basis: MandateBasis;
}

export interface MandateProposed {
  readonly type: 'MandateProposed';
  readonly data: MandateEventData & MandateTerms;
}

export interface MandateAccepted {
  readonly type: 'MandateAccepted';
  readonly data: MandateEventData;
}

export interface MandateDeclined {
  readonly type: 'MandateDeclined';
  readonly data: MandateEventData & { readonly reason: string };
}

/** In force from now on (at or after `from`). */
export interface MandateActivated {
  readonly type: 'MandateActivated';
  readonly data: MandateEventData;
}

/** Fields an amendment changed, with their new values; `authorities` is the set now in force. */
export interface MandateChanges {
  readonly authorities?: readonly string[];
  readonly direction?: MandateDirection;
  readonly framework?: MandateFramework;
  readonly deputyId?: string | null;
  readonly reviewCadenceDays?: number;
}

/** Terms changed with immediate effect; `previous` holds the old values of the same fields. */
export interface MandateAmended {
  readonly type: 'MandateAmended';
  readonly data: MandateEventData & { readonly changes: MandateChanges; readonly previous: MandateChanges };
}

/** Added authorities awaiting the delegate's acceptance; replaces any earlier pending set. */
export interface MandateExpansionProposed {
  readonly type: 'MandateExpansionProposed';
  readonly data: MandateEventData & { readonly authorities: readonly string[] };
}

/** The manager dropped the pending expansion before the delegate answered. */
export interface MandateExpansionWithdrawn {
  readonly type: 'MandateExpansionWithdrawn';
  readonly data: MandateEventData & { readonly authorities: readonly string[] };
}

/** The delegate accepted the pending expansion: these authorities are now in force. */
export interface MandateExpansionAccepted {
  readonly type: 'MandateExpansionAccepted';
  readonly data: MandateEventData & { readonly authorities: readonly string[] };
}

/** The delegate declined the pending expansion; the mandate continues unchanged. */
export interface MandateExpansionDeclined {
  readonly type: 'MandateExpansionDeclined';
  readonly data: MandateEventData & { readonly authorities: readonly string[]; readonly reason: string };
}

export interface MandateExtended {
  readonly type: 'MandateExtended';
  readonly data: MandateEventData & { readonly previousUntil: string; readonly until: string };
}

export interface MandateSuspended {
  readonly type: 'MandateSuspended';
  readonly data: MandateEventData & { readonly reason: string };
}

export interface MandateResumed {
  readonly type: 'MandateResumed';
  readonly data: MandateEventData;
}

export interface MandateRevoked {
  readonly type: 'MandateRevoked';
  readonly data: MandateEventData & { readonly reason: string };
}

export interface MandateRelinquished {
  readonly type: 'MandateRelinquished';
  readonly data: MandateEventData & { readonly reason: string };
}

/** Ended because the period ran out; `until` is when it stopped being in force. */
export interface MandateExpired {
  readonly type: 'MandateExpired';
  readonly data: MandateEventData & { readonly until: string };
}

export interface MandateCompleted {
  readonly type: 'MandateCompleted';
  readonly data: MandateEventData & { readonly note: string | null };
}

export interface MandateCheckInRecorded {
  readonly type: 'MandateCheckInRecorded';
  readonly data: MandateEventData & { readonly note: string };
}

export interface MandateFlaggedForReconfirmation {
  readonly type: 'MandateFlaggedForReconfirmation';
  readonly data: MandateEventData & { readonly reason: ReconfirmationReason; readonly delegatorId: string };
}

/** A formal manager confirmed the flagged mandate and is its delegator from now on. */
export interface MandateConfirmed {
  readonly type: 'MandateConfirmed';
  readonly data: MandateEventData & { readonly previousDelegatorId: string };
}

export type MandateEvent =
  | MandateProposed
  | MandateAccepted
  | MandateDeclined
  | MandateActivated
  | MandateAmended
  | MandateExpansionProposed
  | MandateExpansionWithdrawn
  | MandateExpansionAccepted
  | MandateExpansionDeclined
  | MandateExtended
  | MandateSuspended
  | MandateResumed
  | MandateRevoked
  | MandateRelinquished
  | MandateExpired
  | MandateCompleted
  | MandateCheckInRecorded
  | MandateFlaggedForReconfirmation
  | MandateConfirmed;

export type MandateEventType = MandateEvent['type'];
