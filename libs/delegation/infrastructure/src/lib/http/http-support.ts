import { Query, type PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { ProblemException, problems, requestContext, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import type { CommandContext } from '@leadership/kernel';

/** `@ZodQuery(schema)` validates the whole query string (unknown parameters rejected). */
export function ZodQuery<S extends z.ZodType>(schema: S): ParameterDecorator {
  return Query(new ZodValidationPipe(schema, 'query') as PipeTransform);
}

/** The command context of an HTTP request: actor, correlation and trace ids, idempotency key. */
export function commandContext(actor: Actor, req: Request): CommandContext {
  const ctx = requestContext.current();
  const key = req.headers['idempotency-key'];
  return {
    actorId: actor.personId,
    ...(ctx ? { correlationId: ctx.correlationId, traceparent: ctx.traceparent } : {}),
    ...(typeof key === 'string' && key.length > 0 ? { idempotencyKey: `${actor.personId}:${req.method}:${req.path}:${key}` } : {}),
  };
}

/** The version named by `If-Match: "<n>"` (required on state changes of an existing resource). */
export function expectedVersion(req: Request): number {
  const header = req.headers['if-match'];
  if (header === undefined) {
    throw new ProblemException(problems.preconditionRequired('Send If-Match with the ETag of the mandate you read (GET /mandates/{id}).'));
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(String(header).trim());
  if (!match) throw new ProblemException(problems.validation([{ path: 'If-Match', message: 'expected an ETag such as "3"' }]));
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;
