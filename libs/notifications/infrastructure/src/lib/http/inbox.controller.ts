import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { MarkReadHandler } from '@leadership/notifications-application';
import { authenticateRequest, commandContext, CurrentActor, ProblemException, problems, Public, TokenVerifier, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { DeliveryReadModel, type DeliveryDocument } from '../read-model/delivery.read-model';
import { notificationIdParam } from './notification.schemas';

const inboxQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const streamQuery = z.strictObject({ access_token: z.string().min(1).max(4_000).optional() });

/**
 * Longest remaining lifetime of a token passed as `?access_token=` on `GET /inbox/stream`. Browsers'
 * EventSource cannot send an Authorization header, so the stream also takes the token in the query;
 * query strings end up in proxy and access logs, so only a short-lived token is accepted there
 * (mint one for the stream; the header takes any valid token).
 */
export const MAX_QUERY_TOKEN_LIFETIME_SECONDS = 600;
/** A comment line every 15 s keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

function secondsLeft(token: string): number {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
  return typeof claims.exp === 'number' ? claims.exp - Date.now() / 1_000 : Number.POSITIVE_INFINITY;
}

/** The caller's inbox: items from the delivery read model, changes through the notification stream (one writer per fact). */
@ApiTags('inbox')
@Controller('inbox')
export class InboxController implements BeforeApplicationShutdown {
  /** Open event streams: ended when the service stops, or HTTP would wait for them until its shutdown step times out. */
  private readonly streams = new Set<Response>();

  constructor(
    private readonly deliveries: DeliveryReadModel,
    private readonly markRead: MarkReadHandler,
    private readonly verifier: TokenVerifier,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your inbox, newest first (archived items left out)' })
  async inbox(@Query(new ZodValidationPipe(inboxQuery, 'query')) query: z.infer<typeof inboxQuery>, @CurrentActor() actor: Actor) {
    return { items: await this.deliveries.inbox(actor.personId, query.limit) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unread item read (up to 200 per call; `remaining` says whether to call again)' })
  async readAll(@CurrentActor() actor: Actor, @Req() req: Request) {
    const unread = await this.deliveries.unread(actor.personId);
    for (const item of unread) await this.markRead.execute({ notificationId: item.notificationId, deliveryId: item._id, change: 'MarkRead' }, commandContext(actor, req));
    return { marked: unread.length, remaining: unread.length === 200 };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an inbox item read' })
  read(@Param('id', new ZodValidationPipe(notificationIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.change(id, 'MarkRead', actor, req);
  }

  @Post(':id/unread')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an inbox item unread again' })
  unread(@Param('id', new ZodValidationPipe(notificationIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.change(id, 'MarkUnread', actor, req);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive an inbox item (it leaves GET /inbox)' })
  archive(@Param('id', new ZodValidationPipe(notificationIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.change(id, 'Archive', actor, req);
  }

  /**
   * Server-Sent Events: every new item of the caller's inbox as `event: inbox-item`. Authenticated
   * with `Authorization: Bearer`, or — for EventSource, which cannot set headers — with
   * `?access_token=` holding a token that expires within 10 minutes. Public to the platform's
   * middleware only so the query token can be read; nothing is sent before it is verified.
   */
  @Get('stream')
  @Public()
  @ApiOperation({ summary: 'Live inbox items (text/event-stream); bearer header, or ?access_token= with a token expiring within 10 minutes' })
  @ApiQuery({ name: 'access_token', required: false })
  async stream(@Query(new ZodValidationPipe(streamQuery, 'query')) query: z.infer<typeof streamQuery>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = await this.authenticate(req, query.access_token);
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(': connected\n\n');
    const subscription = this.deliveries.inboxItemsOf(actor.personId).subscribe((item) => {
      res.write(`id: ${item.id}\nevent: inbox-item\ndata: ${JSON.stringify(item)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.streams.add(res);
    req.on('close', () => {
      clearInterval(keepAlive);
      subscription.unsubscribe();
      this.streams.delete(res);
    });
  }

  /** Ends every open stream before HTTP closes: EventSource clients reconnect (to this service once it is back, or another instance). */
  beforeApplicationShutdown(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private async authenticate(req: Request, queryToken: string | undefined): Promise<Actor> {
    if (req.headers.authorization || !queryToken) return authenticateRequest(this.verifier, req);
    if (secondsLeft(queryToken) > MAX_QUERY_TOKEN_LIFETIME_SECONDS) {
      throw new ProblemException(problems.unauthenticated(`A token in ?access_token= must expire within ${MAX_QUERY_TOKEN_LIFETIME_SECONDS} s (query strings are logged); send a longer-lived one in the Authorization header.`));
    }
    return authenticateRequest(this.verifier, Object.assign(Object.create(req) as Request, { headers: { ...req.headers, authorization: `Bearer ${queryToken}` } }));
  }

  private async change(id: string, change: 'MarkRead' | 'MarkUnread' | 'Archive', actor: Actor, req: Request) {
    const item: DeliveryDocument | undefined = await this.deliveries.delivery(id);
    // Someone else's item looks like no item: nothing about other inboxes leaks.
    if (!item || item.channel !== 'in-app' || item.recipientId !== actor.personId) throw new ProblemException(problems.notFound(`You have no inbox item ${id}.`));
    const result = await this.markRead.execute({ notificationId: item.notificationId, deliveryId: id, change }, commandContext(actor, req));
    const delivery = result.notification.deliveries.find((d) => d.deliveryId === id);
    return { id, read: delivery?.read ?? false, archived: delivery?.archived ?? false };
  }
}
