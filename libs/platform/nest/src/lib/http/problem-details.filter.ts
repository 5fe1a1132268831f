import { ArgumentsHost, Catch, HttpException, type ExceptionFilter, type LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodError } from 'zod';
import { requestContext } from '../observability/request-context';
import { PROBLEM_CONTENT_TYPE, ProblemException, problems, type ProblemDetails } from './problem';

/** Turns an error into a problem, or returns undefined to let the next mapper try. */
export type ErrorMapper = (error: unknown) => ProblemDetails | undefined;

/*
 * The MongoDB driver's errors when it cannot reach its server (FerretDB or MongoDB stopped, a
 * network partition): transient, so the caller is told to retry (503 with Retry-After) rather
 * than handed a 500. Recognised by name: a service may hold more than one copy of the driver.
 */
const STORE_UNREACHABLE_ERRORS = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError', 'MongoNotConnectedError']);
/** Seconds a client is asked to wait when a store is unreachable. */
export const STORE_UNREACHABLE_RETRY_AFTER_SECONDS = 5;

/** `root` names the request part an issue without a path is about: `(body)`, `(query)` or `(path)`. */
export function zodIssuesToErrors(error: ZodError, root = '(body)'): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : root,
    message: issue.message,
  }));
}

/*
 * Errors are recognised by shape rather than class where they come from libraries a service may
 * hold in more than one copy (domain rule errors carry `rule`; optimistic-concurrency errors are
 * named WrongExpectedRevisionError).
 */
export const defaultErrorMappers: readonly ErrorMapper[] = [
  (e) => (e instanceof ProblemException ? e.problem : undefined),
  (e) => (e instanceof ZodError ? problems.validation(zodIssuesToErrors(e)) : undefined),
  (e) => {
    if (!(e instanceof Error) || e.name !== 'WrongExpectedRevisionError') return undefined;
    const { expected, actual } = e as Error & { expected?: unknown; actual?: unknown };
    return problems.versionConflict('The resource was changed by someone else; reload it and retry with its current ETag.', {
      expectedVersion: expected,
      currentVersion: actual,
    });
  },
  (e) =>
    e instanceof Error && STORE_UNREACHABLE_ERRORS.has(e.name)
      ? problems.unavailable('A database this service needs does not answer; retry shortly (GET /health shows which).')
      : undefined,
  (e) => {
    if (!(e instanceof Error)) return undefined;
    const rule = (e as Error & { rule?: unknown }).rule;
    if (typeof rule !== 'string') return undefined;
    const details = (e as Error & { details?: Record<string, unknown> }).details ?? {};
    return problems.rule(rule, e.message, Object.keys(details).length > 0 ? { details } : {});
  },
  (e) => {
    // body-parser errors: malformed JSON, too large, bad charset.
    const bodyError = e as { type?: unknown; status?: unknown; message?: unknown };
    if (typeof bodyError?.type !== 'string') return undefined;
    if (bodyError.type === 'entity.too.large') return problems.tooLarge('The request body is larger than allowed.');
    if (bodyError.type === 'entity.parse.failed') return problems.validation([{ path: '(body)', message: 'Malformed JSON' }], 'The body is not valid JSON.');
    if (bodyError.type === 'charset.unsupported' || bodyError.type === 'encoding.unsupported') {
      return problems.unsupportedMediaType(String(bodyError.message));
    }
    return undefined;
  },
  (e) => {
    if (!(e instanceof HttpException)) return undefined;
    const status = e.getStatus();
    const response = e.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message).join('; ')
          : String((response as { message?: unknown }).message ?? e.message);
    if (status === 404) return problems.notFound(message === 'Not Found' ? 'No such resource or route.' : message);
    // Nest wraps body-parser failures (malformed JSON, too large) into HttpExceptions.
    if (status === 400) return problems.validation([{ path: '(body)', message }], `The request body is not valid JSON: ${message}`);
    if (status === 413) return problems.tooLarge('The request body is larger than allowed.');
    return { type: 'about:blank', title: e.name.replace(/Exception$/, ''), status, detail: message };
  },
];

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: LoggerService,
    private readonly mappers: readonly ErrorMapper[] = defaultErrorMappers,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    let problem: ProblemDetails | undefined;
    for (const map of this.mappers) {
      problem = map(error);
      if (problem) break;
    }
    if (!problem || (problem.status >= 500 && problem.status !== 503)) {
      this.logger.error(error instanceof Error ? error : String(error), 'ProblemDetailsFilter');
    } else if (problem.status === 503) {
      // Deliberate and expected (a dependency down, a backlog, admission): the reason, without a stack.
      this.logger.warn(`503 ${problem.detail ?? problem.title}`, 'ProblemDetailsFilter');
    }
    const body: ProblemDetails = {
      ...(problem && problem.status < 500 ? problem : problems.internal()),
      ...(problem && problem.status === 503 ? problem : {}),
      // The path only: a query may carry a secret (`?access_token=` of SSE, a calendar feed's token).
      instance: (request.originalUrl ?? request.url).split('?')[0],
      correlationId: requestContext.current()?.correlationId,
    };
    if (response.headersSent) return;
    if (error instanceof ProblemException) for (const [k, v] of Object.entries(error.headers)) response.setHeader(k, v);
    if (body.status === 503 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', String(STORE_UNREACHABLE_RETRY_AFTER_SECONDS));
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }
}
