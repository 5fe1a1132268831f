import { DeciderSpecification } from '@leadership/kernel/testing';
import {
  activeHistory,
  caseDistribution,
  DELEGATE,
  event,
  FROM,
  MANAGER,
  manager,
  MANDATE_ID,
  notManager,
  onboarding,
  projectLead,
  propose,
  proposed,
  PROPOSED_AT,
  UNTIL,
} from '../../spec/mandate.fixtures';
import { DomainRuleError, fold } from '@leadership/kernel';
import type { MandateAmendment, MandateCommand } from './mandate.commands';
import { mandateDecider } from './mandate.decider';
import {
  AmendmentRateLimitedError,
  AuthorityNotGrantableError,
  DelegateNotMemberError,
  ExclusiveOverlapError,
  ExtensionNotLaterError,
  InvalidDeputyError,
  InvalidFrameworkError,
  InvalidMandateTransitionError,
  InvalidPeriodError,
  InvalidReviewCadenceError,
  MandateAlreadyExistsError,
  MandateNotFoundError,
  MissingDirectionError,
  MissingFrameworkError,
  MissingReasonError,
  NoAuthoritiesError,
  NotDelegateError,
  NotFormalManagerError,
  NotPartyError,
  NotYetExpiredError,
  NotYetStartedError,
  PeriodEndedError,
  PeriodTooLongError,
  ProposerNotDelegatorError,
  RedelegationExceedsBasisError,
  RedelegationNotAllowedError,
  ScopeIncompleteError,
  SelfDelegationError,
  TaskTypeMismatchError,
} from './mandate.errors';
import type { MandateEvent } from './mandate.events';
import { MAX_AMENDMENTS_PER_WINDOW } from './mandate.state';

const given = DeciderSpecification.for(mandateDecider);
const AT = '2025-03-01T12:00:00Z';
const OTHER = 'colleague-9';
const base = { mandateId: MANDATE_ID, at: AT };
const ids = base;

const cmd = {
  accept: (actorId = DELEGATE, at = AT): MandateCommand => ({ type: 'AcceptMandate', data: { ...base, actorId, at } }),
  decline: (reason = 'too much work', actorId = DELEGATE): MandateCommand => ({ type: 'DeclineMandate', data: { ...base, actorId, reason } }),
  amend: (changes: MandateAmendment = { reviewCadenceDays: 7 }, context = manager, actorId = MANAGER, taskType = caseDistribution): MandateCommand => ({
    type: 'AmendMandate',
    data: { ...base, actorId, changes, context: { ...context, taskType } },
  }),
  extend: (newUntil = '2025-10-01T00:00:00Z', extra: { overlappingExclusiveMandateId?: string } = {}, context = manager, at = AT): MandateCommand => ({
    type: 'ExtendMandate',
    data: { ...base, at, actorId: MANAGER, newUntil, context: { ...context, taskType: caseDistribution, ...extra } },
  }),
  suspend: (reason = 'investigation', context = manager): MandateCommand => ({
    type: 'SuspendMandate',
    data: { ...base, actorId: MANAGER, reason, context },
  }),
  resume: (context = manager, at = AT): MandateCommand => ({ type: 'ResumeMandate', data: { ...base, at, actorId: MANAGER, context } }),
  revoke: (reason = 'reorganisation', context = manager, actorId = MANAGER): MandateCommand => ({
    type: 'RevokeMandate',
    data: { ...base, actorId, reason, context },
  }),
  relinquish: (reason = 'moving on', actorId = DELEGATE): MandateCommand => ({
    type: 'RelinquishMandate',
    data: { ...base, actorId, reason },
  }),
  expire: (at = UNTIL): MandateCommand => ({ type: 'ExpireMandate', data: { ...base, at, actorId: 'system:scheduler' } }),
  complete: (context = manager): MandateCommand => ({
    type: 'CompleteMandate',
    data: { ...base, actorId: MANAGER, note: 'backlog cleared', context },
  }),
  activate: (at = FROM): MandateCommand => ({ type: 'ActivateMandate', data: { ...base, at, actorId: 'system:scheduler' } }),
  checkIn: (actorId = DELEGATE): MandateCommand => ({ type: 'RecordCheckIn', data: { ...base, actorId, note: 'all fine' } }),
  flag: (): MandateCommand => ({
    type: 'FlagMandateForReconfirmation',
    data: { ...base, actorId: 'system:scheduler', reason: 'delegator-no-longer-manages' },
  }),
  confirm: (actorId = 'manager-2', context = manager): MandateCommand => ({ type: 'ConfirmMandate', data: { ...base, actorId, context } }),
};

const suspendedHistory: readonly MandateEvent[] = [...activeHistory, event.suspended('2025-02-15T00:00:00Z')];
const acceptedHistory: readonly MandateEvent[] = [proposed(), event.accepted()];
const endedHistory: readonly MandateEvent[] = [...activeHistory, event.revoked('2025-02-20T00:00:00Z')];
const declinedHistory: readonly MandateEvent[] = [proposed(), event.declined()];

describe('mandate decider', () => {
  describe('ProposeMandate', () => {
    it('records the proposal with sorted authorities, no deputy and the formal-manager basis', () => {
      given([]).when(propose()).then([proposed()]);
    });

    it('records an optional deputy', () => {
      given([]).when(propose({ deputyId: OTHER })).then([proposed({ deputyId: OTHER })]);
    });

    it('is a no-op when the same proposal is retried', () => {
      given([proposed()]).when(propose({ at: '2025-01-10T09:00:05Z' })).thenNothingHappens();
    });

    it('refuses to reuse the id for other terms', () => {
      given([proposed()])
        .when(propose({ authorities: ['cases.assign'] }))
        .thenThrows(MandateAlreadyExistsError, 'mandate.already-exists');
    });

    it('refuses a proposal on behalf of someone else', () => {
      given([]).when(propose({ actorId: OTHER })).thenThrows(ProposerNotDelegatorError, 'mandate.actor-not-delegator');
    });

    it('refuses a context for another task type', () => {
      given([]).when(propose({}, { taskType: onboarding })).thenThrows(TaskTypeMismatchError, 'mandate.task-type-mismatch');
    });

    it('refuses self-delegation', () => {
      given([]).when(propose({ delegateId: MANAGER })).thenThrows(SelfDelegationError, 'mandate.self-delegation');
    });

    it('refuses a delegator who manages neither the unit nor holds a mandate', () => {
      given([])
        .when(propose({}, { delegatorManagesUnit: false }))
        .thenThrows(NotFormalManagerError, 'mandate.not-formal-manager', (error) => expect(error.unitId).toBe('unit-1'));
    });

    describe('re-delegation', () => {
      const onboardingProposal = (authorities: string[], until = UNTIL) =>
        propose(
          { taskType: 'onboarding', scope: { unitId: 'unit-1' }, authorities, period: { from: FROM, until } },
          {
            taskType: onboarding,
            delegatorManagesUnit: false,
            delegatorMandate: { mandateId: 'm-parent', authorities: ['calendar.book', 'onboarding.plan'], until: UNTIL },
          },
        );

      it('accepts a delegate handing on part of a mandate whose type allows it, recording the basis', () => {
        const [produced] = mandateDecider.decide(onboardingProposal(['onboarding.plan']), mandateDecider.initialState());
        expect(produced).toMatchObject({ type: 'MandateProposed', data: { basis: { kind: 'mandate', mandateId: 'm-parent' } } });
      });

      it('refuses when the task type does not allow re-delegation', () => {
        given([])
          .when(
            propose(
              {},
              {
                delegatorManagesUnit: false,
                delegatorMandate: { mandateId: 'm-parent', authorities: ['cases.assign', 'cases.prioritise'], until: UNTIL },
              },
            ),
          )
          .thenThrows(RedelegationNotAllowedError, 'mandate.redelegation-not-allowed');
      });

      it('refuses authorities the basis mandate does not hold', () => {
        given([])
          .when(onboardingProposal(['onboarding.plan', 'onboarding.book-presenter']))
          .thenThrows(RedelegationExceedsBasisError, 'mandate.redelegation-exceeds-basis', (error) =>
            expect(error.excessAuthorities).toEqual(['onboarding.book-presenter']),
          );
      });

      it('refuses a period outlasting the basis mandate', () => {
        given([])
          .when(onboardingProposal(['onboarding.plan'], '2025-08-01T00:00:01Z'))
          .thenThrows(RedelegationExceedsBasisError, 'mandate.redelegation-exceeds-basis', (error) =>
            expect(error.outlastsBasis).toBe(true),
          );
      });
    });

    it('refuses a delegate outside the unit', () => {
      given([]).when(propose({}, { delegateIsMemberOfUnit: false })).thenThrows(DelegateNotMemberError, 'mandate.delegate-not-member');
    });

    it('requires a project for a project-lead mandate', () => {
      const lead = (scope: { unitId: string; projectId?: string }) =>
        propose({ taskType: 'project-lead', scope, authorities: ['project.manage'] }, { taskType: projectLead });
      given([]).when(lead({ unitId: 'unit-1' })).thenThrows(ScopeIncompleteError, 'mandate.scope-incomplete');
      given([])
        .when(lead({ unitId: 'unit-1', projectId: 'erp-rollout' }))
        .then([proposed({ taskType: 'project-lead', scope: { unitId: 'unit-1', projectId: 'erp-rollout' }, authorities: ['project.manage'] })]);
    });

    it('refuses a mandate without authorities', () => {
      given([]).when(propose({ authorities: [] })).thenThrows(NoAuthoritiesError, 'mandate.no-authorities');
    });

    it('refuses authorities the task type cannot grant, naming them', () => {
      given([])
        .when(propose({ authorities: ['cases.assign', 'calendar.change'] }))
        .thenThrows(AuthorityNotGrantableError, 'mandate.authority-not-grantable', (error) =>
          expect(error.authorities).toEqual(['calendar.change']),
        );
    });

    it.each([
      { purpose: ' ', successCriteria: [] },
      { purpose: 'ok', successCriteria: ['fine', ''] },
    ])('refuses a missing direction %p', (direction) => {
      given([]).when(propose({ direction })).thenThrows(MissingDirectionError, 'mandate.missing-direction');
    });

    it('accepts a direction without success criteria', () => {
      const direction = { purpose: 'Keep the queue flowing', successCriteria: [] };
      given([]).when(propose({ direction })).then([proposed({ direction })]);
    });

    it('refuses a framework without rules', () => {
      given([])
        .when(propose({ framework: { rules: [], reservedDecisions: [], escalationContactId: MANAGER } }))
        .thenThrows(MissingFrameworkError, 'mandate.missing-framework');
    });

    it.each([
      ['a duplicate rule id', { rules: [{ id: 'r', text: 'a', mode: 'warn' }, { id: 'r', text: 'b', mode: 'enforce' }] }],
      ['a blank rule text', { rules: [{ id: 'r', text: ' ', mode: 'warn' }] }],
      ['an unknown mode', { rules: [{ id: 'r', text: 'a', mode: 'block' }] }],
      ['no escalation contact', { escalationContactId: '' }],
      ['a blank reserved decision', { reservedDecisions: [''] }],
    ])('refuses a framework with %s', (_label, change) => {
      const framework = { ...propose().data.framework, ...change } as ReturnType<typeof propose>['data']['framework'];
      given([]).when(propose({ framework })).thenThrows(InvalidFrameworkError, 'mandate.invalid-framework');
    });

    it.each([
      { from: UNTIL, until: FROM },
      { from: FROM, until: FROM },
      { from: '2025-02-01', until: UNTIL },
      { from: FROM, until: 'forever' },
    ])('refuses the period %p', (period) => {
      given([]).when(propose({ period })).thenThrows(InvalidPeriodError, 'mandate.invalid-period');
    });

    it('accepts a period of exactly the longest length and refuses one millisecond more', () => {
      const exactly = { from: FROM, until: '2026-02-02T00:00:00Z' }; // 366 days
      given([]).when(propose({ period: exactly })).then([proposed({ period: exactly })]);
      given([])
        .when(propose({ period: { from: FROM, until: '2026-02-02T00:00:00.001Z' } }))
        .thenThrows(PeriodTooLongError, 'mandate.period-too-long', (error) => expect(error.maxPeriodDays).toBe(366));
    });

    it('refuses a period that is already over', () => {
      given([]).when(propose({ at: UNTIL })).thenThrows(PeriodEndedError, 'mandate.period-ended');
    });

    it('accepts a period that already started', () => {
      given([]).when(propose({ at: '2025-03-01T00:00:00Z' })).then([proposed({ at: '2025-03-01T00:00:00Z' })]);
    });

    it.each([0, 366, 7.5])('refuses a review cadence of %p days', (reviewCadenceDays) => {
      given([]).when(propose({ reviewCadenceDays })).thenThrows(InvalidReviewCadenceError, 'mandate.invalid-review-cadence');
    });

    it('refuses the delegate as their own deputy', () => {
      given([]).when(propose({ deputyId: DELEGATE })).thenThrows(InvalidDeputyError, 'mandate.invalid-deputy');
    });

    it('refuses an overlapping mandate of an exclusive type, naming it', () => {
      given([])
        .when(propose({}, { overlappingExclusiveMandateId: 'm-other' }))
        .thenThrows(ExclusiveOverlapError, 'mandate.exclusive-overlap', (error) => {
          expect(error.otherMandateId).toBe('m-other');
          expect(error.message).toContain('m-other');
        });
    });

    it('ignores overlaps for a shared task type', () => {
      const onboardingProposal = { taskType: 'onboarding', scope: { unitId: 'unit-1' }, authorities: ['onboarding.plan'] };
      given([])
        .when(propose(onboardingProposal, { taskType: onboarding, overlappingExclusiveMandateId: 'm-other' }))
        .then([proposed(onboardingProposal)]);
    });
  });

  describe('commands on a mandate that does not exist', () => {
    it.each(Object.entries(cmd))('%s is refused as not found', (_name, build) => {
      given([]).when(build()).thenThrows(MandateNotFoundError, 'mandate.not-found');
    });
  });

  describe('AcceptMandate', () => {
    it('accepts a proposal before the period starts', () => {
      given([proposed()])
        .when(cmd.accept(DELEGATE, '2025-01-20T00:00:00Z'))
        .then([{ type: 'MandateAccepted', data: { ...ids, actorId: DELEGATE, at: '2025-01-20T00:00:00Z' } }]);
    });

    it('activates at once when accepted after the period started', () => {
      given([proposed()])
        .when(cmd.accept())
        .then([
          { type: 'MandateAccepted', data: { ...ids, actorId: DELEGATE } },
          { type: 'MandateActivated', data: { ...ids, actorId: DELEGATE } },
        ]);
    });

    it('only the delegate may accept', () => {
      given([proposed()]).when(cmd.accept(MANAGER)).thenThrows(NotDelegateError, 'mandate.not-delegate');
    });

    it('refuses acceptance once the period has ended', () => {
      given([proposed()]).when(cmd.accept(DELEGATE, UNTIL)).thenThrows(PeriodEndedError, 'mandate.period-ended');
    });

    it('is a no-op when accepted again with nothing pending', () => {
      given(acceptedHistory).when(cmd.accept()).thenNothingHappens();
      given(activeHistory).when(cmd.accept()).thenNothingHappens();
    });

    it('accepts a pending expansion', () => {
      given([...activeHistory, event.expansionProposed(['cases.view-all'])])
        .when(cmd.accept())
        .then([{ type: 'MandateExpansionAccepted', data: { ...ids, actorId: DELEGATE, authorities: ['cases.view-all'] } }]);
    });

    it.each([
      ['declined', declinedHistory],
      ['ended', endedHistory],
    ])('refuses acceptance of a %s mandate', (from, history) => {
      given(history)
        .when(cmd.accept())
        .thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition', (error) => {
          expect(error.from).toBe(from);
          expect(error.to).toBe('accepted');
        });
    });
  });

  describe('DeclineMandate', () => {
    it('declines a proposal with a reason', () => {
      given([proposed()])
        .when(cmd.decline())
        .then([{ type: 'MandateDeclined', data: { ...ids, actorId: DELEGATE, reason: 'too much work' } }]);
    });

    it('is a no-op on a declined mandate', () => {
      given(declinedHistory).when(cmd.decline()).thenNothingHappens();
    });

    it('requires a reason', () => {
      given([proposed()]).when(cmd.decline('  ')).thenThrows(MissingReasonError, 'mandate.reason-required');
    });

    it('only the delegate may decline', () => {
      given([proposed()]).when(cmd.decline('no', OTHER)).thenThrows(NotDelegateError, 'mandate.not-delegate');
    });

    it('declines a pending expansion and keeps the mandate', () => {
      const history = [...activeHistory, event.expansionProposed(['cases.view-all'])];
      given(history)
        .when(cmd.decline())
        .then([
          { type: 'MandateExpansionDeclined', data: { ...ids, actorId: DELEGATE, reason: 'too much work', authorities: ['cases.view-all'] } },
        ]);
      const state = fold(mandateDecider, [...history, ...mandateDecider.decide(cmd.decline(), fold(mandateDecider, history))]);
      expect(state).toMatchObject({ status: 'active', authorities: ['cases.assign', 'cases.prioritise'], pendingAuthorities: [] });
    });

    it('refuses to decline an accepted mandate with nothing pending (relinquish instead)', () => {
      given(activeHistory)
        .when(cmd.decline())
        .thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition', (error) => expect(error.from).toBe('active'));
    });
  });

  describe('AmendMandate', () => {
    describe('rate limit', () => {
      const minutes = (n: number) => new Date(Date.parse(AT) + n * 60_000).toISOString();
      const amended = (n: number): MandateEvent => ({
        type: 'MandateAmended',
        data: { ...ids, at: minutes(n), actorId: MANAGER, changes: { reviewCadenceDays: 10 + n }, previous: { reviewCadenceDays: 9 + n } },
      });
      const tenWithinAnHour = Array.from({ length: MAX_AMENDMENTS_PER_WINDOW }, (_, n) => amended(n * 5));
      const amendAt = (at: string): MandateCommand => {
        const command = cmd.amend({ reviewCadenceDays: 90 });
        return { ...command, data: { ...command.data, at } } as MandateCommand;
      };

      it(`refuses an ${MAX_AMENDMENTS_PER_WINDOW + 1}th amendment within the window, saying when to retry`, () => {
        given([proposed(), ...tenWithinAnHour])
          .when(amendAt(minutes(50)))
          .thenThrows(AmendmentRateLimitedError, 'mandate.amend-rate-limited', (error) => error.details['retryAt'] === minutes(60));
      });

      it('accepts it once the oldest counted amendment left the window', () => {
        given([proposed(), ...tenWithinAnHour])
          .when(amendAt(minutes(60)))
          .then([{ type: 'MandateAmended', data: { ...ids, at: minutes(60), actorId: MANAGER, changes: { reviewCadenceDays: 90 }, previous: { reviewCadenceDays: 55 } } }]);
      });

      it('does not count a no-op amendment (it records nothing)', () => {
        const command = cmd.amend({ reviewCadenceDays: 55 });
        given([proposed(), ...tenWithinAnHour])
          .when({ ...command, data: { ...command.data, at: minutes(50) } } as MandateCommand)
          .thenNothingHappens();
      });
    });

    it('replaces the authorities of a proposal directly and records previous values', () => {
      given([proposed()])
        .when(cmd.amend({ authorities: ['cases.view-all', 'cases.assign'], reviewCadenceDays: 14 }))
        .then([
          {
            type: 'MandateAmended',
            data: {
              ...ids,
              actorId: MANAGER,
              changes: { authorities: ['cases.assign', 'cases.view-all'], reviewCadenceDays: 14 },
              previous: { authorities: ['cases.assign', 'cases.prioritise'], reviewCadenceDays: 30 },
            },
          },
        ]);
    });

    it('applies a reduction of an active mandate at once', () => {
      given(activeHistory)
        .when(cmd.amend({ authorities: ['cases.assign'] }))
        .then([
          {
            type: 'MandateAmended',
            data: {
              ...ids,
              actorId: MANAGER,
              changes: { authorities: ['cases.assign'] },
              previous: { authorities: ['cases.assign', 'cases.prioritise'] },
            },
          },
        ]);
    });

    it('puts an expansion of an accepted mandate up for acceptance instead of granting it', () => {
      const amendment = cmd.amend({ authorities: ['cases.assign', 'cases.prioritise', 'cases.view-all'] });
      given(activeHistory)
        .when(amendment)
        .then([{ type: 'MandateExpansionProposed', data: { ...ids, actorId: MANAGER, authorities: ['cases.view-all'] } }]);
      const state = fold(mandateDecider, [...activeHistory, ...mandateDecider.decide(amendment, fold(mandateDecider, activeHistory))]);
      expect(state).toMatchObject({ authorities: ['cases.assign', 'cases.prioritise'], pendingAuthorities: ['cases.view-all'] });
    });

    it('splits a swap into an immediate reduction and a pending expansion', () => {
      given(acceptedHistory)
        .when(cmd.amend({ authorities: ['cases.assign', 'cases.reassign'] }))
        .then([
          {
            type: 'MandateAmended',
            data: { ...ids, actorId: MANAGER, changes: { authorities: ['cases.assign'] }, previous: { authorities: ['cases.assign', 'cases.prioritise'] } },
          },
          { type: 'MandateExpansionProposed', data: { ...ids, actorId: MANAGER, authorities: ['cases.reassign'] } },
        ]);
    });

    it('withdraws a pending expansion when the manager takes it back', () => {
      given([...activeHistory, event.expansionProposed(['cases.view-all'])])
        .when(cmd.amend({ authorities: ['cases.assign', 'cases.prioritise'] }))
        .then([{ type: 'MandateExpansionWithdrawn', data: { ...ids, actorId: MANAGER, authorities: ['cases.view-all'] } }]);
    });

    it('replaces a pending expansion by a new one', () => {
      given([...activeHistory, event.expansionProposed(['cases.view-all'])])
        .when(cmd.amend({ authorities: ['cases.assign', 'cases.prioritise', 'cases.reassign'] }))
        .then([{ type: 'MandateExpansionProposed', data: { ...ids, actorId: MANAGER, authorities: ['cases.reassign'] } }]);
    });

    it('changes direction, framework and deputy with previous values', () => {
      const direction = { purpose: 'New purpose', successCriteria: [] };
      given(activeHistory)
        .when(cmd.amend({ direction, deputyId: OTHER }))
        .then([
          {
            type: 'MandateAmended',
            data: {
              ...ids,
              actorId: MANAGER,
              changes: { direction, deputyId: OTHER },
              previous: { direction: proposed().data.direction, deputyId: null },
            },
          },
        ]);
    });

    it('is a no-op when nothing changes', () => {
      given(activeHistory)
        .when(cmd.amend({ authorities: ['cases.prioritise', 'cases.assign'], reviewCadenceDays: 30, deputyId: null }))
        .thenNothingHappens();
      given([...activeHistory, event.expansionProposed(['cases.view-all'])])
        .when(cmd.amend({ authorities: ['cases.assign', 'cases.prioritise', 'cases.view-all'] }))
        .thenNothingHappens();
    });

    it('only a formal manager may amend', () => {
      given(activeHistory).when(cmd.amend({ reviewCadenceDays: 7 }, notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
    });

    it('lets a re-delegator amend the mandate they issued, but not others', () => {
      const basis = { kind: 'mandate' as const, mandateId: 'm-parent' };
      const redelegated: MandateEvent = { ...proposed(), data: { ...proposed().data, basis } };
      given([redelegated]).when(cmd.amend({ reviewCadenceDays: 7 }, notManager, MANAGER)).then([
        { type: 'MandateAmended', data: { ...ids, actorId: MANAGER, changes: { reviewCadenceDays: 7 }, previous: { reviewCadenceDays: 30 } } },
      ]);
      given([redelegated]).when(cmd.amend({ reviewCadenceDays: 7 }, notManager, OTHER)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
    });

    it.each<[string, MandateAmendment, abstract new (...args: never[]) => DomainRuleError, string]>([
      ['no authorities', { authorities: [] }, NoAuthoritiesError, 'mandate.no-authorities'],
      ['an authority the type cannot grant', { authorities: ['shifts.plan'] }, AuthorityNotGrantableError, 'mandate.authority-not-grantable'],
      ['a blank purpose', { direction: { purpose: '', successCriteria: [] } }, MissingDirectionError, 'mandate.missing-direction'],
      ['an empty framework', { framework: { rules: [], reservedDecisions: [], escalationContactId: MANAGER } }, MissingFrameworkError, 'mandate.missing-framework'],
      ['the delegate as deputy', { deputyId: DELEGATE }, InvalidDeputyError, 'mandate.invalid-deputy'],
      ['a zero cadence', { reviewCadenceDays: 0 }, InvalidReviewCadenceError, 'mandate.invalid-review-cadence'],
    ])('refuses an amendment with %s', (_label, changes, type, rule) => {
      given(activeHistory)
        .when(cmd.amend(changes))
        .thenThrows(type, rule);
    });

    it('refuses a task type context of another type', () => {
      given(activeHistory)
        .when(cmd.amend({ reviewCadenceDays: 7 }, manager, MANAGER, onboarding))
        .thenThrows(TaskTypeMismatchError, 'mandate.task-type-mismatch');
    });

    it('refuses to amend an ended or declined mandate', () => {
      given(endedHistory).when(cmd.amend({ reviewCadenceDays: 7 })).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
      given(declinedHistory).when(cmd.amend({ reviewCadenceDays: 7 })).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });
  });

  describe('ExtendMandate', () => {
    const later = '2025-10-01T00:00:00Z';

    it('moves the end later', () => {
      given(activeHistory)
        .when(cmd.extend(later))
        .then([{ type: 'MandateExtended', data: { ...ids, actorId: MANAGER, previousUntil: UNTIL, until: later } }]);
    });

    it('is a no-op for the same end (in any offset)', () => {
      given(activeHistory).when(cmd.extend('2025-08-01T02:00:00+02:00')).thenNothingHappens();
    });

    it('refuses an earlier end', () => {
      given(activeHistory).when(cmd.extend('2025-07-01T00:00:00Z')).thenThrows(ExtensionNotLaterError, 'mandate.extension-not-later');
    });

    it('refuses a malformed end', () => {
      given(activeHistory).when(cmd.extend('next year')).thenThrows(InvalidPeriodError, 'mandate.invalid-period');
    });

    it('refuses beyond the longest period of the type', () => {
      given(activeHistory).when(cmd.extend('2026-02-02T00:00:00.001Z')).thenThrows(PeriodTooLongError, 'mandate.period-too-long');
    });

    it('refuses once the period has ended', () => {
      given(activeHistory).when(cmd.extend(later, {}, manager, UNTIL)).thenThrows(PeriodEndedError, 'mandate.period-ended');
    });

    it('refuses when the extension overlaps another exclusive mandate', () => {
      given(activeHistory)
        .when(cmd.extend(later, { overlappingExclusiveMandateId: 'm-next' }))
        .thenThrows(ExclusiveOverlapError, 'mandate.exclusive-overlap', (error) => expect(error.otherMandateId).toBe('m-next'));
    });

    it('only a formal manager may extend', () => {
      given(activeHistory).when(cmd.extend(later, {}, notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
    });

    it('refuses to extend a declined mandate', () => {
      given(declinedHistory).when(cmd.extend(later)).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });
  });

  describe('SuspendMandate and ResumeMandate', () => {
    it('suspends an active mandate', () => {
      given(activeHistory).when(cmd.suspend()).then([{ type: 'MandateSuspended', data: { ...ids, actorId: MANAGER, reason: 'investigation' } }]);
    });

    it('is a no-op to suspend a suspended mandate', () => {
      given(suspendedHistory).when(cmd.suspend()).thenNothingHappens();
    });

    it('requires a reason to suspend', () => {
      given(activeHistory).when(cmd.suspend('')).thenThrows(MissingReasonError, 'mandate.reason-required');
    });

    it('only a formal manager may suspend or resume', () => {
      given(activeHistory).when(cmd.suspend('x', notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
      given(suspendedHistory).when(cmd.resume(notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
    });

    it('cannot suspend a mandate that is not in force yet', () => {
      given(acceptedHistory)
        .when(cmd.suspend())
        .thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition', (error) => {
          expect(error.from).toBe('accepted');
          expect(error.to).toBe('suspended');
        });
    });

    it('resumes a suspended mandate', () => {
      given(suspendedHistory).when(cmd.resume()).then([{ type: 'MandateResumed', data: { ...ids, actorId: MANAGER } }]);
    });

    it('is a no-op to resume an active mandate', () => {
      given(activeHistory).when(cmd.resume()).thenNothingHappens();
    });

    it('cannot resume after the period ended', () => {
      given(suspendedHistory).when(cmd.resume(manager, UNTIL)).thenThrows(PeriodEndedError, 'mandate.period-ended');
    });

    it('cannot resume a proposal', () => {
      given([proposed()]).when(cmd.resume()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });

    it('keeps suspension windows for history', () => {
      const state = fold(mandateDecider, [...suspendedHistory, event.resumed('2025-02-20T00:00:00Z'), event.suspended('2025-03-01T00:00:00Z')]);
      expect(state).toMatchObject({
        status: 'suspended',
        suspensions: [
          { from: '2025-02-15T00:00:00Z', until: '2025-02-20T00:00:00Z', reason: 'investigation' },
          { from: '2025-03-01T00:00:00Z', until: null, reason: 'investigation' },
        ],
      });
    });
  });

  describe('ending', () => {
    it.each([
      ['proposed', [proposed()]],
      ['accepted', acceptedHistory],
      ['active', activeHistory],
      ['suspended', suspendedHistory],
    ])('revokes a %s mandate', (_status, history) => {
      given(history).when(cmd.revoke()).then([{ type: 'MandateRevoked', data: { ...ids, actorId: MANAGER, reason: 'reorganisation' } }]);
    });

    it('is a no-op to revoke a revoked mandate', () => {
      given(endedHistory).when(cmd.revoke()).thenNothingHappens();
    });

    it('refuses to revoke an expired or declined mandate', () => {
      given([...activeHistory, event.expired()])
        .when(cmd.revoke())
        .thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition', (error) => expect(error.from).toBe('ended'));
      given(declinedHistory).when(cmd.revoke()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });

    it('only a formal manager may revoke, with a reason', () => {
      given(activeHistory).when(cmd.revoke('r', notManager, OTHER)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
      given(activeHistory).when(cmd.revoke(' ')).thenThrows(MissingReasonError, 'mandate.reason-required');
    });

    it('lets the delegate relinquish', () => {
      given(activeHistory).when(cmd.relinquish()).then([{ type: 'MandateRelinquished', data: { ...ids, actorId: DELEGATE, reason: 'moving on' } }]);
    });

    it('only the delegate relinquishes, with a reason', () => {
      given(activeHistory).when(cmd.relinquish('x', MANAGER)).thenThrows(NotDelegateError, 'mandate.not-delegate');
      given(activeHistory).when(cmd.relinquish('')).thenThrows(MissingReasonError, 'mandate.reason-required');
    });

    it('a proposal is declined, not relinquished', () => {
      given([proposed()]).when(cmd.relinquish()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });

    it('is a no-op to relinquish twice', () => {
      const history = [...activeHistory, ...mandateDecider.decide(cmd.relinquish(), fold(mandateDecider, activeHistory))];
      given(history).when(cmd.relinquish()).thenNothingHappens();
    });

    it('expires at the end of the period', () => {
      given(activeHistory).when(cmd.expire()).then([{ type: 'MandateExpired', data: { ...ids, at: UNTIL, actorId: 'system:scheduler', until: UNTIL } }]);
    });

    it('expires a proposal that was never answered', () => {
      given([proposed()]).when(cmd.expire('2025-09-01T00:00:00Z')).then([
        { type: 'MandateExpired', data: { ...ids, at: '2025-09-01T00:00:00Z', actorId: 'system:scheduler', until: UNTIL } },
      ]);
    });

    it('refuses to expire before the end', () => {
      given(activeHistory).when(cmd.expire('2025-07-31T23:59:59Z')).thenThrows(NotYetExpiredError, 'mandate.not-yet-expired');
    });

    it('is a no-op to expire an ended or declined mandate', () => {
      given(endedHistory).when(cmd.expire()).thenNothingHappens();
      given(declinedHistory).when(cmd.expire()).thenNothingHappens();
    });

    it('completes an active mandate', () => {
      given(activeHistory).when(cmd.complete()).then([{ type: 'MandateCompleted', data: { ...ids, actorId: MANAGER, note: 'backlog cleared' } }]);
    });

    it('is a no-op to complete twice; completion needs a manager and a started mandate', () => {
      const history = [...activeHistory, ...mandateDecider.decide(cmd.complete(), fold(mandateDecider, activeHistory))];
      given(history).when(cmd.complete()).thenNothingHappens();
      given(activeHistory).when(cmd.complete(notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
      given(acceptedHistory).when(cmd.complete()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });

    it('records how it ended and closes an open suspension', () => {
      const state = fold(mandateDecider, [...suspendedHistory, event.revoked('2025-02-20T00:00:00Z')]);
      expect(state).toMatchObject({
        status: 'ended',
        endReason: 'revoked',
        endedAt: '2025-02-20T00:00:00Z',
        endedBy: MANAGER,
        endNote: 'reorganisation',
        suspensions: [{ from: '2025-02-15T00:00:00Z', until: '2025-02-20T00:00:00Z' }],
      });
    });
  });

  describe('ActivateMandate', () => {
    it('activates an accepted mandate at the start of its period', () => {
      given(acceptedHistory).when(cmd.activate()).then([{ type: 'MandateActivated', data: { ...ids, at: FROM, actorId: 'system:scheduler' } }]);
    });

    it('refuses before the start and after the end', () => {
      given(acceptedHistory).when(cmd.activate('2025-01-31T23:59:59Z')).thenThrows(NotYetStartedError, 'mandate.not-yet-started');
      given(acceptedHistory).when(cmd.activate(UNTIL)).thenThrows(PeriodEndedError, 'mandate.period-ended');
    });

    it('is a no-op on an active or suspended mandate', () => {
      given(activeHistory).when(cmd.activate()).thenNothingHappens();
      given(suspendedHistory).when(cmd.activate()).thenNothingHappens();
    });

    it('refuses to activate a proposal the delegate has not accepted', () => {
      given([proposed()])
        .when(cmd.activate())
        .thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition', (error) => {
          expect(error.from).toBe('proposed');
          expect(error.to).toBe('active');
        });
    });
  });

  describe('RecordCheckIn', () => {
    it.each([DELEGATE, MANAGER])('records a check-in by %s', (actorId) => {
      given(activeHistory).when(cmd.checkIn(actorId)).then([{ type: 'MandateCheckInRecorded', data: { ...ids, actorId, note: 'all fine' } }]);
    });

    it('refuses anyone else', () => {
      given(activeHistory).when(cmd.checkIn(OTHER)).thenThrows(NotPartyError, 'mandate.not-party');
    });

    it('refuses check-ins before acceptance', () => {
      given([proposed()]).when(cmd.checkIn()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });
  });

  describe('reconfirmation', () => {
    it('flags a live mandate, remembering the delegator', () => {
      given(activeHistory)
        .when(cmd.flag())
        .then([
          {
            type: 'MandateFlaggedForReconfirmation',
            data: { ...ids, actorId: 'system:scheduler', reason: 'delegator-no-longer-manages', delegatorId: MANAGER },
          },
        ]);
    });

    it('is a no-op to flag a flagged or ended mandate', () => {
      given([...activeHistory, event.flagged()]).when(cmd.flag()).thenNothingHappens();
      given(endedHistory).when(cmd.flag()).thenNothingHappens();
    });

    it('lets a formal manager confirm and take over as delegator', () => {
      const history = [...activeHistory, event.flagged()];
      given(history).when(cmd.confirm()).then([{ type: 'MandateConfirmed', data: { ...ids, actorId: 'manager-2', previousDelegatorId: MANAGER } }]);
      const state = fold(mandateDecider, [...history, ...mandateDecider.decide(cmd.confirm(), fold(mandateDecider, history))]);
      expect(state).toMatchObject({ delegatorId: 'manager-2', reconfirmation: null, basis: { kind: 'formal-manager' } });
    });

    it('is a no-op to confirm a mandate that is not flagged', () => {
      given(activeHistory).when(cmd.confirm()).thenNothingHappens();
    });

    it('refuses confirmation by a non-manager or by the delegate', () => {
      given([...activeHistory, event.flagged()]).when(cmd.confirm('x', notManager)).thenThrows(NotFormalManagerError, 'mandate.not-formal-manager');
      given([...activeHistory, event.flagged()]).when(cmd.confirm(DELEGATE)).thenThrows(SelfDelegationError, 'mandate.self-delegation');
    });

    it('refuses to confirm an ended mandate', () => {
      given(endedHistory).when(cmd.confirm()).thenThrows(InvalidMandateTransitionError, 'mandate.invalid-transition');
    });
  });

  it('folds a full history into state', () => {
    expect(fold(mandateDecider, activeHistory)).toEqual({
      ...proposed().data,
      actorId: undefined,
      at: undefined,
      status: 'active',
      pendingAuthorities: [],
      proposedAt: PROPOSED_AT,
      acceptedAt: '2025-01-11T09:00:00Z',
      activatedAt: FROM,
      lastCheckInAt: null,
      suspensions: [],
      reconfirmation: null,
      recentAmendments: [],
    });
  });
});
