import type { EventStore } from '@leadership/event-store';
import type { DecisionStamp, RoleAddress, StepInput } from '@leadership/onboarding-domain';
import { MissingAuthorityError, type OnboardingAuthority, type OnboardingAuthorityName, type RoleHolder } from '../lib/authority/onboarding-authority.port';
import { OnboardingBoard } from '../lib/board/onboarding-board';
import { AnswerBookingHandler } from '../lib/booking/answer-booking/answer-booking.handler';
import { PresenterBookings } from '../lib/booking/presenter-bookings/presenter-bookings';
import { PresenterChoices } from '../lib/booking/presenter-choices/presenter-choices';
import { RequestPresenterHandler } from '../lib/booking/request-presenter/request-presenter.handler';
import { DirectoryPersonHandler } from '../lib/directory/directory-person.handler';
import { InMemoryOnboardingPeople } from '../lib/directory/onboarding-people.port';
import { MandateHandOverHandler } from '../lib/hand-over/mandate-hand-over.handler';
import { CreateNewcomerHandler } from '../lib/plan/create-newcomer/create-newcomer.handler';
import { GenerateDraftPlanHandler } from '../lib/plan/generate-draft-plan/generate-draft-plan.handler';
import { PlanSessions } from '../lib/plan/plan-sessions';
import { DefineProgrammeHandler } from '../lib/programme/define-programme/define-programme.handler';
import { RemindersWorker } from '../lib/reminders/reminders-worker';

/*
 * A small world for the use-case specs: unit `support` with Ana as formal manager, Cleo holding
 * onboarding by mandate, the case-distribution role held by whoever a test says; a clock the test
 * moves; every use case wired over one real (SQLite) event store.
 */
export const UNIT = 'support';
export const ANA = 'person-ana';
export const CLEO = 'person-cleo';
export const BEN = 'person-ben';
export const DAN = 'person-dan';
export const NINA = 'person-nina';
export const CASE_MANAGER: RoleAddress = { taskType: 'case-distribution', unitId: UNIT };

/** Grants as the test states them: Ana as formal manager; a person's mandates by authority. */
export class FakeAuthority implements OnboardingAuthority {
  readonly mandates = new Map<string, { mandateId: string; version: number; authorities: readonly OnboardingAuthorityName[] }>([
    [CLEO, { mandateId: 'mandate-onboarding', version: 2, authorities: ['onboarding.plan', 'onboarding.book-presenter'] }],
  ]);
  readonly roles = new Map<string, RoleHolder>();

  authorise(actorId: string, authority: OnboardingAuthorityName, unitId: string): DecisionStamp {
    if (actorId === ANA) return { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId };
    const mandate = this.mandates.get(actorId);
    if (!mandate || !mandate.authorities.includes(authority)) throw new MissingAuthorityError(actorId, authority, unitId, 'no mandate');
    return { basis: 'mandate', mandateId: mandate.mandateId, mandateVersion: mandate.version, actorId };
  }

  holds(personId: string, authority: OnboardingAuthorityName, unitId: string): boolean {
    try {
      this.authorise(personId, authority, unitId);
      return true;
    } catch {
      return false;
    }
  }

  roleHolder(role: RoleAddress): RoleHolder | null {
    return this.roles.get(`${role.taskType}/${role.unitId}`) ?? null;
  }

  formalManagerOf(): string | undefined {
    return ANA;
  }
}

export const programmeSteps: StepInput[] = [
  { key: 'how-cases-are-distributed', kind: 'session', title: 'How cases are distributed', dayOffset: 2, time: '10:00', durationMinutes: 60, presenter: { role: CASE_MANAGER } },
  { key: 'sign-policies', kind: 'task', title: 'Sign the security policies', dayOffset: 0, owner: 'newcomer' },
];

export function onboardingWorld(store: EventStore, clock: { now: Date }) {
  const now = () => clock.now;
  const authority = new FakeAuthority();
  const board = new OnboardingBoard(store);
  const people = new InMemoryOnboardingPeople();
  const bookings = new PresenterBookings(store, board, people, now);
  const choices = new PresenterChoices(store, board, authority, people, bookings, now);
  let ids = 0;
  const presenters = new RequestPresenterHandler(bookings, board, authority, choices, () => `booking-${++ids}`);
  const sessions = new PlanSessions(store, board, presenters, bookings, now);
  return {
    authority,
    board,
    bookings,
    choices,
    presenters,
    answers: new AnswerBookingHandler(bookings, choices),
    reminders: new RemindersWorker(store, board, bookings, choices, now),
    people,
    directory: new DirectoryPersonHandler(people, board, new GenerateDraftPlanHandler(store, now), choices, now),
    programmes: new DefineProgrammeHandler(store, authority, now),
    newcomers: new CreateNewcomerHandler(store, authority, sessions, now),
    handOver: new MandateHandOverHandler(store, board, authority, bookings, choices, now),
  };
}
