/*
 * Events of the case stream (`case-<id>`). Each carries the case id, who caused it
 * (`actorId`) and when (`at`), plus everything needed to rebuild state without another source.
 * The case version is the stream revision, not a field.
 */

interface CaseEventData {
  readonly caseId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface CaseRegistered {
  readonly type: 'CaseRegistered';
  readonly data: CaseEventData & { readonly title: string };
}

export interface CaseClosed {
  readonly type: 'CaseClosed';
  readonly data: CaseEventData & { readonly reason: string };
}

/** The one event union of the case aggregate. */
export type CaseEvent = CaseRegistered | CaseClosed;
