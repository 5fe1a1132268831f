import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { deliveriesResponseSchema, type DeliveriesResponse } from '@leadership/notifications-contracts';
import { openApiSchema, RequireRoles, ROLES, ZodValidationPipe } from '@leadership/platform-nest';
import { DeliveryReadModel } from '../read-model/delivery.read-model';
import { deliveryAttemptsOf } from './delivery-attempts.presenter';

const instant = z.iso.datetime({ offset: true });
const logQuery = z.strictObject({
  recipientId: z.string().min(1).max(128).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** The delivery log with the resolution behind every delivery ("why did this person get it?"), for compliance. */
@ApiTags('deliveries')
@Controller('deliveries')
@RequireRoles(ROLES.compliance, ROLES.admin)
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveryReadModel) {}

  @Get()
  @ApiOperation({
    summary:
      'Deliveries, newest first, by recipient and planned time [from, to): channel, status, address, basis, mandate and version, and the attempts — why the last failed (lastError) and when the next is due (nextAttemptAt)',
  })
  @ApiOkResponse({ schema: openApiSchema(deliveriesResponseSchema) })
  async log(@Query(new ZodValidationPipe(logQuery, 'query')) query: z.infer<typeof logQuery>): Promise<DeliveriesResponse> {
    const docs = await this.deliveries.log({ ...(query.recipientId ? { recipientId: query.recipientId } : {}), ...(query.from ? { from: new Date(query.from).toISOString() } : {}), ...(query.to ? { to: new Date(query.to).toISOString() } : {}), limit: query.limit });
    return {
      items: docs.map((d) => ({
        deliveryId: d._id,
        notificationId: d.notificationId,
        recipientId: d.recipientId,
        channel: d.channel,
        status: d.status,
        address: d.address,
        basis: d.basis,
        mandateId: d.mandateId,
        mandateVersion: d.mandateVersion,
        ...deliveryAttemptsOf(d),
        plannedAt: d.notBefore,
        createdAt: d.createdAt,
        deliveredAt: d.deliveredAt,
      })),
    };
  }
}
