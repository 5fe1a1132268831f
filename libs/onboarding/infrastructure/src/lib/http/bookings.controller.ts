import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { AnswerBookingHandler, ListBookingsQuery, type OnboardingAuthority } from '@leadership/onboarding-application';
import { declineBookingBody } from '@leadership/onboarding-contracts';
import { commandContext, CurrentActor, etag, openApiSchema, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { InjectOnboardingAuthority } from './onboarding.ports';
import { bookingsQuery, idParam } from './onboarding.schemas';
import { readsEverything } from './newcomers.controller';
import { presentBooking } from './onboarding.presenters';

/** Bookings: the asked colleague answers; a person lists theirs (so do the onboarding managers of the sessions' units). */
@ApiTags('bookings')
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly answer: AnswerBookingHandler,
    private readonly list: ListBookingsQuery,
    @InjectOnboardingAuthority() private readonly authority: OnboardingAuthority,
  ) {}

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: "Accept (the asked colleague only): the time is reserved in their calendar first; 409 naming the other booking when they present another session then; 422 presenter.absent when the directory has them absent then" })
  async accept(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.answer.accept(id, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return presentBooking(result.booking, result.version);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decline with a reason (the asked colleague only); a confirmed presenter may withdraw before the session',
    description:
      'The session moves on at once: a role-addressed request to the deputy on the holder\'s mandate, then to the unit\'s formal manager; a skill-addressed one to the next person with the skill who may be asked; a person-addressed one to nobody (the organiser sees the decline in BookingChanged and the session in the overview). Whoever declined is never asked for this session again.',
  })
  @ApiBody({ schema: openApiSchema(declineBookingBody) })
  async decline(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @ZodBody(declineBookingBody) body: z.infer<typeof declineBookingBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.answer.decline(id, body.reason, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return presentBooking(result.booking, result.version);
  }

  @Get()
  @ApiOperation({ summary: "A person's bookings with every answer (the person; others see those in units where they may plan onboarding)" })
  async byPerson(@Query(new ZodValidationPipe(bookingsQuery, 'query')) query: z.infer<typeof bookingsQuery>, @CurrentActor() actor: Actor) {
    const everything = readsEverything(actor) || actor.personId === query.personId;
    const items = await this.list.execute(query.personId, (unitId) => everything || this.authority.holds(actor.personId, 'onboarding.plan', unitId));
    return { items: items.map(({ booking, unitId }) => ({ ...presentBooking(booking), unitId })) };
  }
}
