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
  @ApiOperation({
    summary: 'Ask a person, whoever holds a role now, or the least booked person with a skill who may be asked, to present the session',
    description:
      'A role asks its holder (its deputy and the formal manager only once the holder declined or let a request for this session expire); a skill asks, among the people the directory lists with it, the least booked one who has not said no to this session, does not attend it, is not absent and presents nothing else then. ' +
      '409 `presenter.double-booked` naming the other booking when the person presents another session then, `presenter.declined-session` when they declined this session before, `session.presenter-request-pending` while a request is open; ' +
      '422 `presenter.absent` when they are absent then, `session.presenter-unresolvable` for a role nobody holds or a skill nobody (free) has.',
  })
  @ApiBody({ schema: openApiSchema(presenterRequestBody) })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' })
  async request(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @ZodBody(presenterRequestBody) body: PresenterRequestBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.requestPresenter.execute({ sessionId: id, address: body }, commandContext(actor, req));
    res.setHeader('Location', `/bookings/${result.booking.bookingId}`);
    res.setHeader('ETag', etag(result.version));
    return presentBooking(result.booking, result.version);
  }
}
