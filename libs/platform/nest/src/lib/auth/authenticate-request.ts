import type { IncomingMessage } from 'node:http';
import { ProblemException, problems } from '../http/problem';
import type { Actor } from './actor';
import { AuthenticationError, type TokenVerifier } from './token-verifier';
import { VerificationKeysUnavailableError } from './verification-keys';

/** A request once authenticated: the verified caller travels on it to guards and handlers. */
export type AuthenticatedRequest = IncomingMessage & { actor?: Actor };

const REALM = 'Bearer realm="leadership"';
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Verifies the request's bearer token. Throws a ProblemException: 401 with a WWW-Authenticate
 * challenge when the token is missing or refused, 503 when the issuer's keys cannot be fetched
 * (a retry may succeed; a new token would not help).
 */
export async function authenticateRequest(verifier: TokenVerifier, request: IncomingMessage): Promise<Actor> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new ProblemException(problems.unauthenticated('Send a bearer token: Authorization: Bearer <jwt> (locally: npm run token -- --sub <personId>).'), {
      'WWW-Authenticate': REALM,
    });
  }
  try {
    return await verifier.verify(match[1]);
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new ProblemException(problems.unauthenticated(error.message), {
        'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${error.message.replace(/["\\]/g, "'")}"`,
      });
    }
    if (error instanceof VerificationKeysUnavailableError) {
      throw new ProblemException(problems.unavailable(`Tokens cannot be verified right now: ${error.message}. Retry shortly.`), { 'Retry-After': '5' });
    }
    throw error;
  }
}
