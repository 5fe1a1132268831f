import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import type { CaseCommand } from './case.commands';
import { caseDecider } from './case.decider';
import {
  CaseAlreadyExistsError,
  CaseCloseReasonRequiredError,
  CaseNotFoundError,
  CaseTitleRequiredError,
} from './case.errors';
import type { CaseEvent } from './case.events';

const ID = 'case-1';
const ACTOR = 'person-ana';
const REGISTERED_AT = '2026-03-02T09:00:00.000Z';
const CLOSED_AT = '2026-03-03T17:30:00.000Z';

const register = (title = 'First case'): CaseCommand => ({ type: 'RegisterCase', data: { caseId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const close = (reason = 'done'): CaseCommand => ({ type: 'CloseCase', data: { caseId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });
const registered = (title = 'First case'): CaseEvent => ({ type: 'CaseRegistered', data: { caseId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const closed = (reason = 'done'): CaseEvent => ({ type: 'CaseClosed', data: { caseId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });

const given = DeciderSpecification.for(caseDecider);

describe('case decider', () => {
  describe('RegisterCase', () => {
    it('registers a new case under its trimmed title', () => {
      given([]).when(register('  First case ')).then([registered()]);
    });

    it('refuses a blank title', () => {
      given([]).when(register('   ')).thenThrows(CaseTitleRequiredError, 'case.title-required');
    });

    it('changes nothing when retried with the same title', () => {
      given([registered()]).when(register()).thenNothingHappens();
    });

    it('refuses the id for another title', () => {
      given([registered()])
        .when(register('Another title'))
        .thenThrows(CaseAlreadyExistsError, 'case.already-exists', (error) => error.details['caseId'] === ID);
    });
  });

  describe('CloseCase', () => {
    it('closes an open case with the trimmed reason', () => {
      given([registered()]).when(close(' done ')).then([closed()]);
    });

    it('refuses a case that was never registered', () => {
      given([]).when(close()).thenThrows(CaseNotFoundError, 'case.not-found');
    });

    it('refuses a blank reason', () => {
      given([registered()]).when(close(' ')).thenThrows(CaseCloseReasonRequiredError, 'case.close-reason-required');
    });

    it('changes nothing on a closed case', () => {
      given([registered(), closed()]).when(close('again')).thenNothingHappens();
    });
  });

  it('folds its events into the state', () => {
    expect(fold(caseDecider, [])).toEqual({ status: 'none' });
    expect(fold(caseDecider, [registered(), closed()])).toEqual({
      status: 'closed',
      caseId: ID,
      title: 'First case',
      registeredAt: REGISTERED_AT,
      registeredBy: ACTOR,
      closedAt: CLOSED_AT,
      closeReason: 'done',
    });
  });
});
