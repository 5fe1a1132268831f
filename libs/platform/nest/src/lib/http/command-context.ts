import type { Request } from 'express';
import type { CommandContext } from '@leadership/kernel';
import type { Actor } from '../auth/actor';
import { requestContext } from '../observability/request-context';
import { ProblemException, problems } from './problem';

/**
 * The command context of an HTTP request: actor, correlation and trace ids, and the
 * Idempotency-Key scoped by caller, method and path (as the idempotency interceptor scopes its
 * records), from which the command derives its event ids.
 */
export function commandContext(actor: Actor, req: Request): CommandContext {
  const ctx = requestContext.current();
  const key = req.headers['idempotency-key'];
  return {
    actorId: actor.personId,
    ...(ctx ? { correlationId: ctx.correlationId, traceparent: ctx.traceparent } : {}),
    ...(typeof key === 'string' && key.length > 0 ? { idempotencyKey: `${actor.personId}:${req.method}:${req.path}:${key}` } : {}),
  };
}

/**
 * The version named by `If-Match: "<n>"`, required on state changes of an existing resource
 * (428 without it, 400 when malformed). `what` completes "Send If-Match with the ETag of …".
 * If-Match compares strongly (RFC 9110 §13.1.1): a weak ETag (`W/"3"`) never matches, so it is
 * refused with 412 rather than taken for the version it names — our ETags are strong.
 */
export function expectedVersion(req: Request, what = 'the resource you read'): number {
  const header = req.headers['if-match'];
  if (header === undefined) throw new ProblemException(problems.preconditionRequired(`Send If-Match with the ETag of ${what}.`));
  const value = String(header).trim();
  if (/^W\/"\d+"$/.test(value)) {
    throw new ProblemException(problems.preconditionFailed(`If-Match compares strongly and a weak ETag (${value}) never matches; send the ETag of ${what} as it was given, e.g. ${value.slice(2)}.`));
  }
  const match = /^"(\d+)"$/.exec(value);
  if (!match) throw new ProblemException(problems.validation([{ path: 'If-Match', message: 'expected an ETag such as "3"' }]));
  return Number(match[1]);
}

/** The ETag of a version (a stream revision). */
export const etag = (version: number): string => `"${version}"`;
