import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import {
  GetNotificationQuery,
  GetPreferencesQuery,
  GetWebhookQuery,
  ListWebhooksQuery,
  SetWebhookStatusHandler,
  MarkReadHandler,
  PutWebhookHandler,
  ReplayDeliveryHandler,
  RequestNotificationHandler,
  RotateWebhookSecretHandler,
  SetPreferencesHandler,
  StartWorkflowsHandler,
  DirectoryUnavailableError,
  RolesNotFreshError,
  type NotificationBoard,
  type NotificationDispatcher,
  type RoleDirectory,
  type RoleFreshness,
} from '@leadership/notifications-application';
import { notificationsAsyncApi } from '@leadership/notifications-contracts';
import {
  DeliveriesController,
  DirectoryEventsController,
  DeliveryReadModel,
  DirectoryProjection,
  InboxController,
  NOTIFICATION_RESOLVER,
  NotificationsController,
  PreferencesController,
  ROLE_DIRECTORY,
  SourceEventsController,
  WebhooksController,
} from '@leadership/notifications-infrastructure';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';

/** Domain rules that are not "unprocessable" (422, the default) but "not found", "conflict" or bad input in HTTP terms. */
export const notificationsErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    if (rule === 'notification.not-found' || rule === 'webhook.not-found' || rule === 'notification.inbox-item-not-yours' || rule === 'notification.delivery-not-found') return problems.notFound(message);
    if (rule === 'notification.already-exists') return problems.conflict(message, { rule });
    // A malformed address is bad input, not an unprocessable notification (the body's schema leaves the grammar to the domain's parser).
    if (rule === 'recipient.address-invalid') return problems.validation([{ path: '/to', message }], message);
    // Whether a person addressed exists is unknown while the directory cannot be asked: retry, rather than a guess (Retry-After from the filter).
    if (e instanceof DirectoryUnavailableError) return problems.unavailable(message);
    // The mandates went stale between the request's check and its resolution: stored, resolved by the dispatcher once fresh; a keyed retry gets the recipients.
    if (e instanceof RolesNotFreshError) return problems.unavailable(message);
    return undefined;
  },
];

export interface NotificationsModuleOptions {
  readonly store: EventStore;
  readonly deliveries: DeliveryReadModel;
  /** The service's database (idempotency records). */
  readonly db: Db;
  readonly now: () => Date;
  readonly metricsRegistry: Registry;
  /** The authority projection's consumer (its `server` is one of the service's Kafka consumers). */
  readonly authority: AuthorityConsumer;
  /** Role resolution (only from fresh mandates): `POST /notifications` checks it before appending. */
  readonly roles: RoleDirectory & RoleFreshness;
  readonly directory: DirectoryProjection;
  /** Nudged by every command that gives it work; resolves `POST /notifications` at once. */
  readonly dispatcher: NotificationDispatcher;
  /** The dispatcher's board: what it delivers to (the webhook list reads it, caught up first). */
  readonly board: NotificationBoard;
  readonly defaultTimeZone: string;
  /** /health: the composition root lists them. */
  readonly healthChecks: readonly HealthCheckSpec[];
  readonly auth?: PlatformModuleOptions['auth'];
}

/** The notifications HTTP API and its Kafka handlers on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class NotificationsModule {
  static forRoot(options: NotificationsModuleOptions): DynamicModule {
    const { store, now, dispatcher } = options;
    const nudge = () => dispatcher.nudge();
    return {
      module: NotificationsModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'notifications',
          ...(options.auth ? { auth: options.auth } : {}),
          metricsRegistry: options.metricsRegistry,
          errorMappers: notificationsErrorMappers,
          asyncApi: notificationsAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [NotificationsController, InboxController, PreferencesController, WebhooksController, DeliveriesController, SourceEventsController, DirectoryEventsController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: RequestNotificationHandler, useValue: new RequestNotificationHandler(store, now, { people: options.directory, roles: options.roles }) },
        { provide: GetNotificationQuery, useValue: new GetNotificationQuery(store) },
        { provide: MarkReadHandler, useValue: new MarkReadHandler(store, now) },
        { provide: StartWorkflowsHandler, useValue: new StartWorkflowsHandler(store, now, nudge) },
        { provide: GetPreferencesQuery, useValue: new GetPreferencesQuery(store, options.defaultTimeZone) },
        { provide: SetPreferencesHandler, useValue: new SetPreferencesHandler(store, now, nudge) },
        { provide: PutWebhookHandler, useValue: new PutWebhookHandler(store, now, nudge) },
        { provide: RotateWebhookSecretHandler, useValue: new RotateWebhookSecretHandler(store, now, nudge) },
        { provide: GetWebhookQuery, useValue: new GetWebhookQuery(store) },
        { provide: SetWebhookStatusHandler, useValue: new SetWebhookStatusHandler(store, now, nudge) },
        { provide: ListWebhooksQuery, useValue: new ListWebhooksQuery(options.board) },
        { provide: ReplayDeliveryHandler, useValue: new ReplayDeliveryHandler(store, now, nudge) },
        { provide: NOTIFICATION_RESOLVER, useValue: dispatcher },
        { provide: ROLE_DIRECTORY, useValue: options.roles },
        { provide: DirectoryProjection, useValue: options.directory },
        { provide: DeliveryReadModel, useValue: options.deliveries },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), now) },
      ],
    };
  }
}
