import { Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import { CalendarFeedNotFoundError, CalendarFeeds } from '@leadership/onboarding-application';
import { CurrentActor, ProblemException, problems, Public, ROLES, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { feedQuery, idParam } from './onboarding.schemas';

/** Only the person themself (or an admin, e.g. to revoke a leaked link) manages their feed token. */
function assertSelf(actor: Actor, personId: string): void {
  if (actor.personId === personId || actor.roles.includes(ROLES.admin)) return;
  throw new ProblemException(problems.forbidden(`Only ${personId} (or an admin) may manage their calendar feed.`));
}

const FEED_FILE = /^([A-Za-z0-9._:-]{1,128})\.ics$/;

/**
 * Personal calendar feeds that Outlook, Google and Apple Calendar subscribe to. Those clients send
 * no bearer token, so the feed route is public and the secret is the token in the URL: 256 random
 * bits, stored only as a hash, rotated (old URL dead at once) or revoked by the person.
 */
@ApiTags('calendars')
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly feeds: CalendarFeeds) {}

  @Get(':file')
  @Public()
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The person\'s sessions as iCalendar (RFC 5545): GET /calendars/{personId}.ics?token=… (no bearer token: the URL is the secret)' })
  async feed(@Param('file') file: string, @Query(new ZodValidationPipe(feedQuery, 'query')) query: z.infer<typeof feedQuery>): Promise<string> {
    const personId = FEED_FILE.exec(file)?.[1];
    // A bad name and a bad token answer alike: nothing to learn about who has a feed.
    if (!personId) throw new CalendarFeedNotFoundError(file);
    return this.feeds.feed(personId, query.token);
  }

  @Post(':personId/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate your feed token: returns { token, url } once; the previous URL stops working' })
  async rotate(@Param('personId', new ZodValidationPipe(idParam, 'params')) personId: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    assertSelf(actor, personId);
    const { token } = await this.feeds.rotate(personId);
    return { token, url: `${req.protocol}://${req.get('host') ?? 'localhost'}/calendars/${encodeURIComponent(personId)}.ics?token=${token}` };
  }

  @Delete(':personId/token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke your feed token: the feed URL stops working' })
  async revoke(@Param('personId', new ZodValidationPipe(idParam, 'params')) personId: string, @CurrentActor() actor: Actor): Promise<void> {
    assertSelf(actor, personId);
    await this.feeds.revoke(personId);
  }
}
