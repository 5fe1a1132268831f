import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { authenticateRequest, type AuthenticatedRequest } from './authenticate-request';
import type { RouteRef } from './public-routes';
import type { TokenVerifier } from './token-verifier';

/**
 * Authenticates every request before anything reads its body: registered ahead of the body
 * parsers, so an unauthenticated caller cannot make the service buffer, inflate or parse a body
 * (a 20 MB import limit is for authenticated callers). Public routes (from @Public() and the
 * given path prefixes such as /docs) pass untouched; the guard still decides roles. A refusal is
 * passed to Express as an error, so Nest's exception filter answers it as problem+json.
 */
export function authenticationMiddleware(verifier: TokenVerifier, publicRoutes: readonly RouteRef[], publicPrefixes: readonly string[]): RequestHandler {
  const publicRequests = new WeakSet<Request>();
  const markPublic: RequestHandler = (req, _res, next) => {
    publicRequests.add(req);
    next();
  };
  // Express's own router matches the paths exactly as it matches Nest's routes (parameters, HEAD for GET).
  const router = express.Router();
  for (const route of publicRoutes) router[route.method](route.path, markPublic);
  for (const prefix of publicPrefixes) router.use(prefix, markPublic);
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (publicRequests.has(req)) {
      next();
      return;
    }
    authenticateRequest(verifier, req).then(
      (actor) => {
        (req as AuthenticatedRequest).actor = actor;
        next();
      },
      (error: unknown) => next(error),
    );
  });
  return router;
}
