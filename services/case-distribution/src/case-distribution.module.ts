import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import {
  AgentAvailabilityHandler,
  AssignCaseHandler,
  ConfigureQueueHandler,
  MissingAuthorityError,
  PrioritiseCaseHandler,
  RegisterCaseHandler,
  ResolveCaseHandler,
  RespondToOfferHandler,
  type CaseAuthority,
  type Dispatcher,
  type RoutingBoard,
} from '@leadership/case-distribution-application';
import { caseDistributionAsyncApi } from '@leadership/case-distribution-contracts';
import {
  AgentsController,
  AuditController,
  AUTHORITY_PROJECTION,
  CASE_AUTHORITY,
  CASE_EVENT_STORE,
  CaseIntakeController,
  PresenterUnavailabilityController,
  CaseReadModel,
  CasesController,
  QueuesController,
  ROUTING_BOARD,
} from '@leadership/case-distribution-infrastructure';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';

/** Rules that are not "unprocessable" (422, the default) but "not found", "conflict" or "forbidden" in HTTP terms; an unreachable database is "unavailable". */
export const caseDistributionErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    if (e instanceof MissingAuthorityError) {
      return problems.forbidden(`${e.message}.`, { authority: e.authority, unitId: e.scope.unitId, queueId: e.scope.queueId, mandateId: e.mandateId, mandateVersion: e.mandateVersion });
    }
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    if (rule === 'case.not-found' || rule === 'queue.not-found' || rule === 'agent.not-found') return problems.notFound(message);
    if (rule === 'case.already-exists' || rule === 'queue.already-exists' || rule === 'case.already-assigned' || rule === 'case.offer-not-pending') return problems.conflict(message, { rule });
    return undefined;
  },
  (e) => {
    // The read model, the decisions report and idempotency records live in MongoDB; while it is
    // unreachable those requests cannot be answered, which is a 503 to retry, not a 500. By name:
    // the driver's classes may exist in more than one copy (mongodb, mongoose's own).
    const name = e instanceof Error ? e.name : '';
    if (!MONGO_UNREACHABLE.has(name)) return undefined;
    return problems.unavailable("The service's database (MongoDB) is unreachable; retry shortly. Cases are still taken in and routed; GET /health shows the database.");
  },
];

/** MongoDB driver (and mongoose) errors that mean "no server to talk to", not "this request is wrong". */
const MONGO_UNREACHABLE: ReadonlySet<string> = new Set(['MongoServerSelectionError', 'MongooseServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError', 'MongoNotConnectedError']);

export interface CaseDistributionModuleOptions {
  readonly store: EventStore;
  readonly readModel: CaseReadModel;
  /** The service's database (idempotency records). */
  readonly db: Db;
  readonly now: () => Date;
  readonly metricsRegistry: Registry;
  /** The authority projection's consumer (its `server` is one of the service's Kafka consumers). */
  readonly authority: AuthorityConsumer;
  /** The use cases' authority check over that projection. */
  readonly caseAuthority: CaseAuthority;
  readonly board: RoutingBoard;
  /** Nudged by every command that adds work or frees capacity. */
  readonly dispatcher: Dispatcher;
  /** /health: the composition root lists them (store, database, projector, relay, consumers, dispatcher). */
  readonly healthChecks: readonly HealthCheckSpec[];
  readonly auth?: PlatformModuleOptions['auth'];
}

/** The case distribution HTTP API and its Kafka handlers on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class CaseDistributionModule {
  static forRoot(options: CaseDistributionModuleOptions): DynamicModule {
    const { store, now, caseAuthority, board, dispatcher } = options;
    const changed = () => dispatcher.nudge();
    return {
      module: CaseDistributionModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'case-distribution',
          ...(options.auth ? { auth: options.auth } : {}),
          metricsRegistry: options.metricsRegistry,
          errorMappers: caseDistributionErrorMappers,
          asyncApi: caseDistributionAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [CasesController, QueuesController, AgentsController, AuditController, CaseIntakeController, PresenterUnavailabilityController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: RegisterCaseHandler, useValue: new RegisterCaseHandler(store, now, changed) },
        { provide: RespondToOfferHandler, useValue: new RespondToOfferHandler(store, now, changed) },
        { provide: AssignCaseHandler, useValue: new AssignCaseHandler(store, board, caseAuthority, now, changed) },
        { provide: PrioritiseCaseHandler, useValue: new PrioritiseCaseHandler(store, caseAuthority, now, changed) },
        { provide: ResolveCaseHandler, useValue: new ResolveCaseHandler(store, now, caseAuthority, changed) },
        { provide: ConfigureQueueHandler, useValue: new ConfigureQueueHandler(store, caseAuthority, now, changed) },
        { provide: AgentAvailabilityHandler, useValue: new AgentAvailabilityHandler(store, now, changed) },
        { provide: CaseReadModel, useValue: options.readModel },
        { provide: CASE_AUTHORITY, useValue: caseAuthority },
        { provide: ROUTING_BOARD, useValue: board },
        { provide: CASE_EVENT_STORE, useValue: store },
        { provide: AUTHORITY_PROJECTION, useValue: options.authority.projection },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), now) },
      ],
    };
  }
}
