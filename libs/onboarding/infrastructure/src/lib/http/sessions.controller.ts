import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequestPresenterHandler } from '@leadership/onboarding-application';
import { presenterRequestBody, type PresenterRequestBody } from '@leadership/onboarding-contracts';
import { commandContext, CurrentActor, etag, openApiSchema, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { idParam } from './onboarding.schemas';
import { presentBooking } from './onboarding.presenters';

/** Presenter requests (authority `onboarding.book-presenter` in the session's unit, or formal management of it). */
@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly requestPresenter: RequestPresenterHandler) {}

  @Post(':id/presenter-requests')
  @HttpCode(201)
  @ApiOperation({ summary: 'Ask a person, or whoever holds a role now, to present the session; 409 when they present another session then (naming it) or a request is open' })
  @ApiBody({ schema: openApiSchema(presenterRequestBody) })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' })
  async request(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @ZodBody(presenterRequestBody) body: PresenterRequestBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.requestPresenter.execute({ sessionId: id, address: body }, commandContext(actor, req));
    res.setHeader('Location', `/bookings/${result.booking.bookingId}`);
    res.setHeader('ETag', etag(result.version));
    return presentBooking(result.booking, result.version);
  }
}
