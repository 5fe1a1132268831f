import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import { MarkReadHandler, RequestNotificationHandler } from '@leadership/notifications-application';
import { notificationsAsyncApi } from '@leadership/notifications-contracts';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';
import { NotificationReadModel, NotificationsController } from '@leadership/notifications-infrastructure';

/** Domain rules that are not "unprocessable" (422, the default) but "not found" or "conflict" in HTTP terms. */
export const notificationsErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    if (rule === 'notification.not-found') return problems.notFound(message);
    if (rule === 'notification.already-exists') return problems.conflict(message, { rule });
    // A malformed address is bad input, not an unprocessable notification (the body's schema leaves the grammar to the domain's parser).
    if (rule === 'recipient.address-invalid') return problems.validation([{ path: '/to', message }], message);
    return undefined;
  },
];

export interface NotificationsModuleOptions {
  readonly store: EventStore;
  readonly readModel: NotificationReadModel;
  /** The service's database (idempotency records). */
  readonly db: Db;
  readonly now: () => Date;
  readonly metricsRegistry: Registry;
  /**
   * The authority projection's consumer, built by the composition root (its `server` is one of the
   * service's Kafka consumers): its handlers, `may(...)` and the guard behind `@RequireAuthority`
   * are registered here.
   */
  readonly authority: AuthorityConsumer;
  /** /health: the composition root lists them (store, database, projector, relay, consumers). */
  readonly healthChecks: readonly HealthCheckSpec[];
  readonly auth?: PlatformModuleOptions['auth'];
}

/** The notifications HTTP API on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class NotificationsModule {
  static forRoot(options: NotificationsModuleOptions): DynamicModule {
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
      controllers: [NotificationsController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: RequestNotificationHandler, useValue: new RequestNotificationHandler(options.store, options.now) },
        { provide: MarkReadHandler, useValue: new MarkReadHandler(options.store, options.now) },
        { provide: NotificationReadModel, useValue: options.readModel },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), options.now) },
      ],
    };
  }
}
