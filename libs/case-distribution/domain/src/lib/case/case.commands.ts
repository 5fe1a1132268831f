/*
 * Commands of the case decider. Every command names the case, the acting person (or
 * system component) and the instant it happens: the domain never reads a clock.
 */

interface CaseCommandData {
  readonly caseId: string;
  readonly actorId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** Registers a new case under a title. */
export interface RegisterCase {
  readonly type: 'RegisterCase';
  readonly data: CaseCommandData & { readonly title: string };
}

/** Closes an open case, with the reason. */
export interface CloseCase {
  readonly type: 'CloseCase';
  readonly data: CaseCommandData & { readonly reason: string };
}

export type CaseCommand = RegisterCase | CloseCase;
