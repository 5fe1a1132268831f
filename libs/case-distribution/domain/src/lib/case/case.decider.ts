import { assertNever, type Decider } from '@leadership/kernel';
import type { CloseCase, RegisterCase, CaseCommand } from './case.commands';
import {
  CaseAlreadyExistsError,
  CaseCloseReasonRequiredError,
  CaseNotFoundError,
  CaseTitleRequiredError,
} from './case.errors';
import type { CaseEvent } from './case.events';

export type CaseStatus = 'open' | 'closed';

/** A case that was registered. */
export interface ExistingCase {
  readonly status: CaseStatus;
  readonly caseId: string;
  readonly title: string;
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

/** State of a case stream: `none` until the case is registered. */
export type CaseState = { readonly status: 'none' } | ExistingCase;

type Events = readonly CaseEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: CaseState, caseId: string): ExistingCase {
  if (state.status === 'none') throw new CaseNotFoundError(caseId);
  return state;
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function register(command: RegisterCase, state: CaseState): Events {
  const { caseId, actorId, at } = command.data;
  const title = command.data.title.trim();
  if (state.status !== 'none') {
    // A retried registration is a no-op; reusing the id for another title is a conflict.
    if (state.title === title) return [];
    throw new CaseAlreadyExistsError(caseId);
  }
  if (title.length === 0) throw new CaseTitleRequiredError(caseId);
  return [{ type: 'CaseRegistered', data: { caseId, actorId, at, title } }];
}

function close(command: CloseCase, state: CaseState): Events {
  const { caseId, actorId, at } = command.data;
  const current = existing(state, caseId);
  // Closing twice is closing once: accepted, nothing new happens (a retried request is harmless).
  if (current.status === 'closed') return [];
  const reason = command.data.reason.trim();
  if (reason.length === 0) throw new CaseCloseReasonRequiredError(caseId);
  return [{ type: 'CaseClosed', data: { caseId, actorId, at, reason } }];
}

function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseRegistered': {
      const { caseId, actorId, at, title } = event.data;
      return { status: 'open', caseId, title, registeredAt: at, registeredBy: actorId, closedAt: null, closeReason: null };
    }
    case 'CaseClosed':
      // Decide never closes a case that does not exist; a stream that says so anyway keeps its state.
      return state.status === 'none' ? state : { ...state, status: 'closed', closedAt: event.data.at, closeReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** The case aggregate as a decider (stream `case-<id>`, see `caseStreamName`). */
export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'RegisterCase':
        return register(command, state);
      case 'CloseCase':
        return close(command, state);
      default:
        return assertNever(command);
    }
  },
};
