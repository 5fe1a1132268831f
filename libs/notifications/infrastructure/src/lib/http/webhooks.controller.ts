import { Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { GetWebhookQuery, ListWebhooksQuery, PutWebhookHandler, ReplayDeliveryHandler, RotateWebhookSecretHandler, SetWebhookStatusHandler } from '@leadership/notifications-application';
import { webhookSecretSchema, webhookSubscriptionSchema, type WebhookSubscriptionBody } from '@leadership/notifications-contracts';
import { commandContext, CurrentActor, openApiSchema, ProblemException, problems, RequireRoles, ROLES, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { DeliveryReadModel, type DeliveryDocument } from '../read-model/delivery.read-model';
import { deliveryAttemptsOf } from './delivery-attempts.presenter';
import { notificationIdParam } from './notification.schemas';

const rotateBody = z.strictObject({ secret: webhookSecretSchema.optional(), overlapHours: z.number().min(0).max(168).optional() });
const disableBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const idParam = new ZodValidationPipe(notificationIdParam, 'params');

/** One entry of the webhook's delivery log. */
const logEntry = (d: DeliveryDocument) => ({
  deliveryId: d._id,
  notificationId: d.notificationId,
  channel: d.channel,
  status: d.status,
  ...deliveryAttemptsOf(d),
});

/** Webhook subscriptions of other departments (admin): Standard Webhooks signing, rotation with overlap, delivery log, replay. */
@ApiTags('webhooks')
@Controller('webhooks')
@RequireRoles(ROLES.admin)
export class WebhooksController {
  constructor(
    private readonly putWebhook: PutWebhookHandler,
    private readonly rotateSecret: RotateWebhookSecretHandler,
    private readonly getWebhook: GetWebhookQuery,
    private readonly replayDelivery: ReplayDeliveryHandler,
    private readonly deliveries: DeliveryReadModel,
    private readonly setStatus: SetWebhookStatusHandler,
    private readonly listWebhooks: ListWebhooksQuery,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every subscription: url, event types, enabled or disabled, how many secrets sign (never the secrets)' })
  list() {
    return this.listWebhooks.execute();
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop sending to a subscription (a reason is required); requests due meanwhile are dead-lettered and can be replayed' })
  @ApiBody({ schema: openApiSchema(disableBody) })
  disable(@Param('id', idParam) id: string, @ZodBody(disableBody) body: z.infer<typeof disableBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.setStatus.execute({ webhookId: id, enabled: false, reason: body.reason }, commandContext(actor, req));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send to a disabled subscription again' })
  enable(@Param('id', idParam) id: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.setStatus.execute({ webhookId: id, enabled: true }, commandContext(actor, req));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Create or change a subscription; without secret a new one gets a generated secret (shown once); a new secret rotates with 24 h overlap' })
  @ApiBody({ schema: openApiSchema(webhookSubscriptionSchema) })
  async put(@Param('id', idParam) id: string, @ZodBody(webhookSubscriptionSchema) body: WebhookSubscriptionBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { created, ...view } = await this.putWebhook.execute({ webhookId: id, url: body.url, eventTypes: body.eventTypes, ...(body.secret ? { secret: body.secret } : {}) }, commandContext(actor, req));
    res.status(created ? 201 : 200);
    return view;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A subscription (never its secrets)' })
  get(@Param('id', idParam) id: string) {
    return this.getWebhook.execute(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing secret; the old one keeps signing for overlapHours (default 24)' })
  @ApiBody({ schema: openApiSchema(rotateBody) })
  rotate(@Param('id', idParam) id: string, @ZodBody(rotateBody) body: z.infer<typeof rotateBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.rotateSecret.execute({ webhookId: id, ...(body.secret ? { secret: body.secret } : {}), ...(body.overlapHours !== undefined ? { overlapHours: body.overlapHours } : {}) }, commandContext(actor, req));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log: status, attempts, last response code and error, next retry' })
  async log(@Param('id', idParam) id: string) {
    await this.getWebhook.execute(id);
    return { items: (await this.deliveries.log({ recipientId: id, channel: 'webhook', limit: 200 })).map(logEntry) };
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a dead-lettered or delivered request again (same webhook-id, fresh retry budget)' })
  async replay(@Param('id', idParam) id: string, @Param('deliveryId', idParam) deliveryId: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    const delivery = await this.deliveries.delivery(deliveryId);
    if (!delivery || delivery.channel !== 'webhook' || delivery.recipientId !== id) throw new ProblemException(problems.notFound(`Webhook ${id} has no delivery ${deliveryId}.`));
    await this.replayDelivery.execute({ notificationId: delivery.notificationId, deliveryId }, commandContext(actor, req));
    return { deliveryId, status: 'scheduled' };
  }
}
