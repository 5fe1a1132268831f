/**
 * RFC 9457 problem details. `type` is a stable URI per kind of problem; `rule` names the broken
 * domain rule for 422s; `errors` lists field-level validation failures for 400s.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly rule?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
  readonly correlationId?: string;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const base = 'https://leadership.example/problems/';

/** Thrown by handlers that want to answer with a specific problem. */
export class ProblemException extends Error {
  constructor(readonly problem: ProblemDetails, readonly headers: Readonly<Record<string, string>> = {}) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemException';
  }
}

export const problems = {
  validation: (errors: ProblemDetails['errors'], detail = 'The request is not valid.'): ProblemDetails => ({
    type: `${base}validation`,
    title: 'Invalid request',
    status: 400,
    detail,
    errors,
  }),
  unauthenticated: (detail: string): ProblemDetails => ({ type: `${base}unauthenticated`, title: 'Unauthenticated', status: 401, detail }),
  forbidden: (detail: string, extra: Record<string, unknown> = {}): ProblemDetails => ({
    type: `${base}forbidden`,
    title: 'Forbidden',
    status: 403,
    detail,
    ...extra,
  }),
  notFound: (detail: string): ProblemDetails => ({ type: `${base}not-found`, title: 'Not found', status: 404, detail }),
  conflict: (detail: string, extra: Record<string, unknown> = {}): ProblemDetails => ({
    type: `${base}conflict`,
    title: 'Conflict',
    status: 409,
    detail,
    ...extra,
  }),
  versionConflict: (detail: string, extra: Record<string, unknown> = {}): ProblemDetails => ({
    type: `${base}version-conflict`,
    title: 'Version conflict',
    status: 409,
    detail,
    ...extra,
  }),
  preconditionRequired: (detail: string): ProblemDetails => ({
    type: `${base}precondition-required`,
    title: 'Precondition required',
    status: 428,
    detail,
  }),
  preconditionFailed: (detail: string): ProblemDetails => ({
    type: `${base}precondition-failed`,
    title: 'Precondition failed',
    status: 412,
    detail,
  }),
  rule: (rule: string, detail: string, extra: Record<string, unknown> = {}): ProblemDetails => ({
    type: `${base}rule-violation`,
    title: 'Rule violated',
    status: 422,
    rule,
    detail,
    ...extra,
  }),
  tooLarge: (detail: string): ProblemDetails => ({ type: `${base}payload-too-large`, title: 'Payload too large', status: 413, detail }),
  unsupportedMediaType: (detail: string): ProblemDetails => ({
    type: `${base}unsupported-media-type`,
    title: 'Unsupported media type',
    status: 415,
    detail,
  }),
  internal: (): ProblemDetails => ({
    type: `${base}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side; the request may be retried. Quote the correlation id when reporting it.',
  }),
  unavailable: (detail: string): ProblemDetails => ({ type: `${base}unavailable`, title: 'Service unavailable', status: 503, detail }),
};
