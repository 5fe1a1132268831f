import { existsSync, readFileSync } from 'node:fs';
import { decodeProtectedHeader, errors, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { Actor } from './actor';
import type { AuthConfig } from './auth-config';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerFile, type DevIssuerKeyFile } from './dev-issuer';
import { TokenCache, type VerifiedToken } from './token-cache';
import { RemoteVerificationKeys, StaticVerificationKeys, VerificationKeysUnavailableError, type VerificationKeys } from './verification-keys';

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** Leeway for clocks that disagree a little: applied to `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_TOKEN_CACHE_SIZE = 10_000;
const DEFAULT_JWKS_MAX_AGE_SECONDS = 300;
/** `typ` values of a bearer token: a JWT, or an OAuth access token (RFC 9068), with or without `application/`. */
const ACCEPTED_TYPES: ReadonlySet<string> = new Set(['jwt', 'at+jwt']);

/** What the verifier has done since it started (exported as the `auth_token_checks_total` metric). */
export interface TokenVerifierStats {
  /** Tokens whose signature and claims were checked. */
  readonly signatureChecks: number;
  /** Requests answered from the cache of verified tokens. */
  readonly cacheHits: number;
  /** Tokens refused (any reason). */
  readonly refused: number;
  readonly cachedTokens: number;
}

function acceptedType(typ: string | undefined): boolean {
  return typeof typ === 'string' && ACCEPTED_TYPES.has(typ.toLowerCase().replace(/^application\//, ''));
}

function keysFor(config: AuthConfig): { keys: VerificationKeys; issuer: string; audience: string } {
  if (config.mode === 'jwks') {
    const maxAgeMs = (config.jwksMaxAgeSeconds ?? DEFAULT_JWKS_MAX_AGE_SECONDS) * 1000;
    const keys = new RemoteVerificationKeys(new URL(config.jwksUrl), { maxAgeMs, algorithms: config.algorithms ?? [], ...(config.now ? { now: config.now } : {}) });
    return { keys, issuer: config.issuer, audience: config.audience };
  }
  const file = config.keyFile ?? devIssuerFile();
  if (!existsSync(file)) throw new Error(`dev issuer key ${file} not found: run \`npm run token -- --sub <personId>\` once to create it`);
  const { publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as DevIssuerKeyFile;
  return { keys: new StaticVerificationKeys({ keys: [publicJwk] }), issuer: DEV_ISSUER, audience: DEV_AUDIENCE };
}

/**
 * Verifies bearer JWTs and extracts the actor. A token is accepted when its header names an
 * allowed asymmetric algorithm and a `typ` of JWT or at+jwt, its signature verifies with a key
 * of the issuer, and it carries `exp` (not passed), `sub`, the expected `iss` and `aud`, and no
 * `nbf`/`iat` in the future (all with CLOCK_TOLERANCE_SECONDS).
 *
 * Each token is verified once: the result is cached (LRU, by SHA-256 of the token) until the
 * token's `exp`. A cached token is refused once its `exp` passes, and re-verified when the key
 * that verified it is no longer in the issuer's key set — for a JWKS, within `jwksMaxAgeSeconds`
 * of its removal (the set is fetched again when older than that, before a cached token is trusted).
 */
export class TokenVerifier {
  private readonly keys: VerificationKeys;
  private readonly issuer: string;
  private readonly audience: string;
  private readonly now: () => number;
  private readonly cache: TokenCache;
  private signatureChecks = 0;
  private cacheHits = 0;
  private refused = 0;

  constructor(config: AuthConfig) {
    ({ keys: this.keys, issuer: this.issuer, audience: this.audience } = keysFor(config));
    this.now = config.now ?? Date.now;
    this.cache = new TokenCache(config.tokenCacheSize ?? DEFAULT_TOKEN_CACHE_SIZE);
  }

  async verify(token: string): Promise<Actor> {
    try {
      const key = TokenCache.keyOf(token);
      const cached = this.cache.get(key);
      if (cached) {
        if (this.expired(cached.exp)) {
          this.cache.delete(key);
          throw new AuthenticationError('token expired');
        }
        const refresh = this.keys.refreshIfStale();
        if (refresh) await refresh;
        if (this.keys.fingerprint(cached.kid) === cached.keyFingerprint) {
          this.cacheHits++;
          return cached.actor;
        }
        // The key that verified it was withdrawn or replaced: verify again against the current keys.
        this.cache.delete(key);
      }
      const verified = await this.check(token);
      if (verified.keyFingerprint !== undefined) this.cache.set(key, verified);
      return verified.actor;
    } catch (error) {
      this.refused++;
      if (error instanceof AuthenticationError || error instanceof VerificationKeysUnavailableError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('token expired');
      if (error instanceof errors.JWTClaimValidationFailed) throw new AuthenticationError(`token rejected: ${error.message}`);
      if (error instanceof errors.JOSEError) throw new AuthenticationError(`token rejected (${error.code})`);
      throw error;
    }
  }

  stats(): TokenVerifierStats {
    return { signatureChecks: this.signatureChecks, cacheHits: this.cacheHits, refused: this.refused, cachedTokens: this.cache.size };
  }

  private expired(exp: number): boolean {
    // The same rule as jose's: expired once exp <= now - tolerance (seconds).
    return exp <= Math.floor(this.now() / 1000) - CLOCK_TOLERANCE_SECONDS;
  }

  /** Every check, in order of cost: header, then signature and claims. */
  private async check(token: string): Promise<VerifiedToken> {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthenticationError('token is not a JWT');
    }
    // The algorithm list may grow with the JWKS's declared algorithms: have a current set first.
    const refresh = this.keys.refreshIfStale();
    if (refresh) await refresh;
    const algorithms = this.keys.algorithms();
    if (typeof header.alg !== 'string' || !algorithms.has(header.alg)) {
      throw new AuthenticationError(`token algorithm ${String(header.alg)} is not accepted (accepted: ${[...algorithms].join(', ')})`);
    }
    if (!acceptedType(header.typ)) throw new AuthenticationError(`token type ${header.typ ?? '(none)'} is not accepted: expected JWT or at+jwt`);
    this.signatureChecks++;
    const now = this.now();
    const { payload, protectedHeader } = await jwtVerify(token, this.keys.getKey, {
      issuer: this.issuer,
      audience: this.audience,
      algorithms: [...algorithms],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
      requiredClaims: ['exp'],
    });
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(now / 1000) + CLOCK_TOLERANCE_SECONDS) throw new AuthenticationError('token issued in the future (iat)');
    if (typeof payload.exp !== 'number') throw new AuthenticationError('token has no expiry (exp)');
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthenticationError('token has no subject');
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
    // Shared by every request that presents this token: frozen so no handler can change another's caller.
    const actor: Actor = Object.freeze({ personId: payload.sub, roles: Object.freeze(roles) });
    return { actor, exp: payload.exp, kid: protectedHeader.kid, keyFingerprint: this.keys.fingerprint(protectedHeader.kid) };
  }
}
