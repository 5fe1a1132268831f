import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { GetNotificationQuery, MarkReadHandler, RequestNotificationHandler, type NotificationCommandResult } from '@leadership/notifications-application';
import { notificationAcceptedSchema, notificationRequestSchema, type NotificationAccepted, type NotificationRequest } from '@leadership/notifications-contracts';
import { notificationIdForRequest } from '@leadership/notifications-domain';
import { commandContext, CurrentActor, etag, expectedVersion, openApiSchema, ProblemException, problems, RequireRoles, ROLES, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { markReadBody, notificationIdParam } from './notification.schemas';
import { InjectNotificationResolver, SENDER_ROLES, type NotificationResolver } from './notifications.ports';

/** Roles that may read any notification. */
const READ_ALL_ROLES: readonly string[] = [ROLES.compliance, ROLES.admin];

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });
const ifMatch = ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the notification version the command is based on, e.g. "0"' });

/** The notification resource as a command answers it (the state it left, its version). */
function present(result: NotificationCommandResult) {
  const { status, category, requestedAt, requestedBy, recipients } = result.notification;
  return { notificationId: result.notificationId, version: result.version, status, category, requestedAt, requestedBy, recipients };
}

/**
 * The notifications API: commands go through the use cases (event store, decider), reads come from
 * the read model (eventually consistent, a few milliseconds behind). Every route needs a bearer
 * token (the platform's global guard); errors are problem+json.
 */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly requestNotification: RequestNotificationHandler,
    private readonly markRead: MarkReadHandler,
    private readonly getNotification: GetNotificationQuery,
    @InjectNotificationResolver() private readonly resolver: NotificationResolver,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireRoles(...SENDER_ROLES)
  @ApiOperation({
    summary:
      'Send a notification (role system or notifier) to person ids or role addresses (role:<taskType>@unit:<unitId>); 202 with whom it went to and why. Idempotency-Key: a retry is the same notification.',
  })
  @ApiBody({ schema: openApiSchema(notificationRequestSchema) })
  @ApiAcceptedResponse({ description: 'Accepted, with whom it went to and why (roles resolved now, from the mandates in force)', schema: openApiSchema(notificationAcceptedSchema) })
  @ApiResponse({ status: 422, description: 'problem+json, rule notification.recipient-unknown: a person addressed is not in the directory (details.personIds); nothing was accepted' })
  @ApiResponse({
    status: 503,
    description:
      'problem+json with Retry-After: the directory cannot be asked whether a person addressed exists, or a role is addressed while the mandates are further behind than the freshness bound; nothing was accepted — retry with the same Idempotency-Key',
  })
  @idempotencyKey
  async request(
    @ZodBody(notificationRequestSchema) body: NotificationRequest,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NotificationAccepted> {
    const context = commandContext(actor, req);
    // With an Idempotency-Key the id is derived from it, so a retry finds the same notification.
    const notificationId = context.idempotencyKey ? notificationIdForRequest(actor.personId, context.idempotencyKey) : randomUUID();
    const content = typeof body.template === 'string' ? { template: body.template } : body.template;
    const to = typeof body.to === 'string' ? [body.to] : body.to;
    const source = { type: 'api', id: context.idempotencyKey ?? notificationId };
    const input = { notificationId, source, to, category: body.category, content, data: body.data ?? {}, critical: body.critical ?? false };
    // Refused (422, 503) with nothing appended when a person addressed is unknown, the directory cannot
    // be asked, or a role is addressed while the mandates are not known fresh.
    await this.requestNotification.execute(input, context);
    // Recipients are resolved now, from the mandates in force, so the answer can say who gets it and why.
    // Should the mandates fall behind the bound in between (milliseconds), this answers 503 too: the
    // request is kept and resolved by the dispatcher once they are fresh, and a retry with the same
    // Idempotency-Key answers its recipients.
    await this.resolver.resolveNow(notificationId);
    const { notification, version } = await this.getNotification.execute(notificationId);
    res.setHeader('Location', `/notifications/${notificationId}`);
    res.setHeader('ETag', etag(version));
    return { notificationId, recipients: [...notification.recipients], unresolved: [...notification.unresolved] };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark your inbox item of a notification read (If-Match: the version you read)' })
  @ApiBody({ schema: openApiSchema(markReadBody) })
  @ifMatch
  @idempotencyKey
  async read(
    @Param('id', new ZodValidationPipe(notificationIdParam, 'params')) id: string,
    @ZodBody(markReadBody) body: z.infer<typeof markReadBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.markRead.execute({ notificationId: id, deliveryId: body.deliveryId, expectedVersion: expectedVersion(req, 'the notification you read') }, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A notification from its stream (always current): whom it went to and why; for its sender, its recipients, compliance and admins. ETag = version' })
  async get(@Param('id', new ZodValidationPipe(notificationIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { notification: n, version } = await this.getNotification.execute(id);
    const involved = n.requestedBy === actor.personId || n.recipients.some((r) => r.personId === actor.personId);
    // Who was told what is personal: everyone else gets the same answer as for an unknown id.
    if (!involved && !actor.roles.some((role) => READ_ALL_ROLES.includes(role))) throw new ProblemException(problems.notFound(`No notification ${id}.`));
    res.setHeader('ETag', etag(version));
    const { notificationId, status, workflow, category, critical, source, requestedAt, requestedBy, recipients, unresolved } = n;
    return { notificationId, version, status, workflow, category, critical, source, requestedAt, requestedBy, recipients, unresolved };
  }
}
