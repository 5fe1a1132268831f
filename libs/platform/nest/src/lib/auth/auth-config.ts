/*
 * How a service verifies bearer tokens. Two modes, chosen explicitly:
 *  - `jwks`: an identity provider's JSON Web Key Set (production, any cluster);
 *  - `dev`: the local dev issuer's key file (`npm start`, tests, benchmarks) — an opt-in
 *    (`AUTH_MODE=dev`) that is refused when NODE_ENV=production, so a production deployment that
 *    forgets its identity-provider settings fails at start instead of trusting a local key.
 */

/** Settings both modes share. */
export interface AuthCommonConfig {
  /** Verified tokens kept (LRU) so a repeated bearer skips the signature check; default 10,000. */
  readonly tokenCacheSize?: number;
  /** The clock in ms since the epoch (tests pin it); default `Date.now`. */
  readonly now?: () => number;
}

/** Tokens signed by an identity provider whose public keys are served as a JWKS. */
export interface JwksAuthConfig extends AuthCommonConfig {
  readonly mode: 'jwks';
  readonly jwksUrl: string;
  /** Expected `iss`. */
  readonly issuer: string;
  /** Expected `aud` (one of the token's audiences). */
  readonly audience: string;
  /**
   * Signature algorithms accepted besides ES256 and those the JWKS keys declare in `alg`
   * (e.g. `RS256` for a provider whose keys declare none). Asymmetric algorithms only.
   */
  readonly algorithms?: readonly string[];
  /**
   * The JWKS is fetched again once it is older than this (default 300 s). It bounds how long a
   * key removed from the JWKS stays accepted, for cached tokens too.
   */
  readonly jwksMaxAgeSeconds?: number;
}

/** Tokens signed by the local dev issuer (`npm run token`). */
export interface DevAuthConfig extends AuthCommonConfig {
  readonly mode: 'dev';
  /** Default: AUTH_DEV_KEY_FILE, else `.local/auth/dev-issuer.json` in the workspace. */
  readonly keyFile?: string;
}

export type AuthConfig = JwksAuthConfig | DevAuthConfig;

/** The asymmetric JWS algorithms a verifier may ever accept: never `none`, never HS* (a public key is no secret). */
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']);

const HOW_TO_CHOOSE =
  'set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE for an identity provider, or AUTH_MODE=dev for the local dev issuer (npm start sets it)';

/** Refuses the dev issuer in production, whether it came from the environment or from code. */
export function assertAuthModeAllowed(config: AuthConfig, env: NodeJS.ProcessEnv = process.env): void {
  if (config.mode === 'dev' && env['NODE_ENV'] === 'production') {
    throw new Error('AUTH_MODE=dev is refused when NODE_ENV=production: the dev issuer is for the local stack only; set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE');
  }
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return parsed;
}

/**
 * Reads the auth settings from the environment:
 * `AUTH_MODE` (`jwks` | `dev`; `jwks` when unset), `AUTH_JWKS_URL`, `AUTH_ISSUER`, `AUTH_AUDIENCE`,
 * `AUTH_ALGORITHMS` (comma-separated), `AUTH_JWKS_MAX_AGE_SECONDS`, `AUTH_DEV_KEY_FILE`.
 * Throws with what to set when the settings are incomplete or contradictory.
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const mode = env['AUTH_MODE'] || 'jwks';
  const jwksUrl = env['AUTH_JWKS_URL'];
  if (mode === 'dev') {
    if (jwksUrl) throw new Error('AUTH_MODE=dev and AUTH_JWKS_URL are both set: choose one (unset AUTH_MODE to use the identity provider)');
    const config: DevAuthConfig = { mode: 'dev', ...(env['AUTH_DEV_KEY_FILE'] ? { keyFile: env['AUTH_DEV_KEY_FILE'] } : {}) };
    assertAuthModeAllowed(config, env);
    return config;
  }
  if (mode !== 'jwks') throw new Error(`AUTH_MODE must be "jwks" or "dev", got "${mode}"`);
  const issuer = env['AUTH_ISSUER'];
  const audience = env['AUTH_AUDIENCE'];
  if (!jwksUrl || !issuer || !audience) {
    const missing = [!jwksUrl && 'AUTH_JWKS_URL', !issuer && 'AUTH_ISSUER', !audience && 'AUTH_AUDIENCE'].filter(Boolean).join(', ');
    throw new Error(`no token verification configured (${missing} unset): ${HOW_TO_CHOOSE}`);
  }
  const algorithms = (env['AUTH_ALGORITHMS'] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const refused = algorithms.filter((a) => !ASYMMETRIC_ALGORITHMS.has(a));
  if (refused.length > 0) throw new Error(`AUTH_ALGORITHMS: ${refused.join(', ')} not accepted; allowed are ${[...ASYMMETRIC_ALGORITHMS].join(', ')}`);
  const maxAge = positiveNumber('AUTH_JWKS_MAX_AGE_SECONDS', env['AUTH_JWKS_MAX_AGE_SECONDS']);
  return {
    mode: 'jwks',
    jwksUrl,
    issuer,
    audience,
    ...(algorithms.length > 0 ? { algorithms } : {}),
    ...(maxAge !== undefined ? { jwksMaxAgeSeconds: maxAge } : {}),
  };
}
