import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import {
  AnswerBookingHandler,
  CalendarFeeds,
  CreateNewcomerHandler,
  DefineProgrammeHandler,
  DirectoryPersonHandler,
  EditPlanHandler,
  GenerateDraftPlanHandler,
  ListBookingsQuery,
  MandateHandOverHandler,
  MissingAuthorityError,
  NewcomerPlanQuery,
  PlanSessions,
  type PresenterChoices,
  RequestPresenterHandler,
  UnitOverviewQuery,
  type OnboardingAuthority,
  type OnboardingBoard,
  type OnboardingPeople,
  type PresenterBookings,
} from '@leadership/onboarding-application';
import { onboardingAsyncApi } from '@leadership/onboarding-contracts';
import {
  BookingsController,
  CalendarsController,
  DirectoryPeopleController,
  MandateEventsController,
  MongoCalendarTokenStore,
  NewcomersController,
  ONBOARDING_AUTHORITY,
  PlanReadModel,
  PlansController,
  ProgrammesController,
  SessionsController,
  UnitsController,
} from '@leadership/onboarding-infrastructure';
import type { CalendarParty } from '@leadership/icalendar';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';

const NOT_FOUND = new Set(['plan.not-found', 'programme.not-found', 'session.not-found', 'booking.not-found', 'calendar.feed-not-found']);
const CONFLICT = new Set(['plan.already-generated', 'booking.already-exists', 'booking.not-pending', 'session.already-exists', 'session.presenter-taken', 'session.presenter-request-pending', 'programme.unit-fixed', 'presenter.declined-session']);

/** Rules that are not "unprocessable" (422, the default) but "not found", "conflict" or "forbidden" in HTTP terms. */
export const onboardingErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    if (e instanceof MissingAuthorityError) {
      return problems.forbidden(`${e.message}.`, { authority: e.authority, unitId: e.unitId, mandateId: e.mandateId, mandateVersion: e.mandateVersion });
    }
    const rule = (e as { rule?: unknown }).rule;
    const details = (e as { details?: Record<string, unknown> }).details ?? {};
    const message = e instanceof Error ? e.message : '';
    if (typeof rule !== 'string') return undefined;
    if (NOT_FOUND.has(rule)) return problems.notFound(message);
    // Double booking: the answer names the other booking, so the manager can pick another time or person.
    if (rule === 'presenter.double-booked') return problems.conflict(message, { rule, otherBookingId: details['otherBookingId'], otherSessionId: details['otherSessionId'], personId: details['personId'] });
    if (CONFLICT.has(rule)) return problems.conflict(message, { rule, ...details });
    if (rule === 'booking.not-asked') return problems.forbidden(message, { rule });
    return undefined;
  },
];

export interface OnboardingModuleOptions {
  readonly store: EventStore;
  readonly readModel: PlanReadModel;
  /** The service's database (idempotency records, calendar tokens). */
  readonly db: Db;
  readonly now: () => Date;
  readonly metricsRegistry: Registry;
  /** The authority projection's consumer (its `server` is one of the service's Kafka consumers). */
  readonly authority: AuthorityConsumer;
  /** The use cases' authority check and role resolution over that projection. */
  readonly onboardingAuthority: OnboardingAuthority;
  readonly board: OnboardingBoard;
  readonly bookings: PresenterBookings;
  /** Who presents: candidates of an address, the next candidate after a decline (shared with the hand-over and the reminders worker). */
  readonly choices: PresenterChoices;
  readonly handOver: MandateHandOverHandler;
  /** The projection of the directory's people (memberships, skills, absences). */
  readonly people: OnboardingPeople;
  /** How long after the directory's change a new membership still drafts a plan (default 14 days). */
  readonly newMemberWindowDays?: number;
  /** How a person appears in a calendar (the directory has no addresses for this service: ids only). */
  readonly partyOf: (personId: string) => CalendarParty | undefined;
  readonly newId: () => string;
  readonly newToken: () => string;
  /** /health: the composition root lists them (store, database, projector, relay, consumers, workers). */
  readonly healthChecks: readonly HealthCheckSpec[];
  readonly auth?: PlatformModuleOptions['auth'];
}

/** The onboarding HTTP API and its Kafka handlers on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class OnboardingModule {
  static forRoot(options: OnboardingModuleOptions): DynamicModule {
    const { store, now, board, bookings, choices, onboardingAuthority: authority } = options;
    const presenters = new RequestPresenterHandler(bookings, board, authority, choices, options.newId);
    const sessions = new PlanSessions(store, board, presenters, bookings, now);
    const drafts = new GenerateDraftPlanHandler(store, now);
    return {
      module: OnboardingModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'onboarding',
          ...(options.auth ? { auth: options.auth } : {}),
          metricsRegistry: options.metricsRegistry,
          errorMappers: onboardingErrorMappers,
          asyncApi: onboardingAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [ProgrammesController, NewcomersController, SessionsController, BookingsController, CalendarsController, UnitsController, PlansController, MandateEventsController, DirectoryPeopleController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: DefineProgrammeHandler, useValue: new DefineProgrammeHandler(store, authority, now) },
        { provide: CreateNewcomerHandler, useValue: new CreateNewcomerHandler(store, authority, sessions, now) },
        { provide: EditPlanHandler, useValue: new EditPlanHandler(store, authority, sessions, now) },
        { provide: NewcomerPlanQuery, useValue: new NewcomerPlanQuery(store, board, authority, now) },
        { provide: RequestPresenterHandler, useValue: presenters },
        { provide: AnswerBookingHandler, useValue: new AnswerBookingHandler(bookings, choices) },
        { provide: ListBookingsQuery, useValue: new ListBookingsQuery(board) },
        { provide: CalendarFeeds, useValue: new CalendarFeeds(board, new MongoCalendarTokenStore(options.db), options.partyOf, options.newToken, now) },
        { provide: UnitOverviewQuery, useValue: new UnitOverviewQuery(board, authority, now) },
        { provide: MandateHandOverHandler, useValue: options.handOver },
        { provide: GenerateDraftPlanHandler, useValue: drafts },
        {
          provide: DirectoryPersonHandler,
          useValue: new DirectoryPersonHandler(options.people, board, drafts, choices, now, options.newMemberWindowDays !== undefined ? { newMemberWindowDays: options.newMemberWindowDays } : {}),
        },
        { provide: PlanReadModel, useValue: options.readModel },
        { provide: ONBOARDING_AUTHORITY, useValue: authority },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), now) },
      ],
    };
  }
}
