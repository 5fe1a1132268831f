import { existsSync, readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Actor } from './actor';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerFile, type DevIssuerKeyFile } from './dev-issuer';

export type AuthConfig =
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string }
  | { readonly mode: 'dev'; readonly keyFile?: string };

/** Reads AUTH_JWKS_URL / AUTH_ISSUER / AUTH_AUDIENCE (production) or falls back to the dev issuer. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const jwksUrl = env['AUTH_JWKS_URL'];
  if (jwksUrl) {
    const issuer = env['AUTH_ISSUER'];
    const audience = env['AUTH_AUDIENCE'];
    if (!issuer || !audience) throw new Error('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
    return { mode: 'jwks', jwksUrl, issuer, audience };
  }
  if (env['NODE_ENV'] === 'production') throw new Error('production needs AUTH_JWKS_URL: the dev issuer is for the local stack only');
  return { mode: 'dev', keyFile: env['AUTH_DEV_KEY_FILE'] };
}

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** Verifies bearer JWTs (signature, issuer, audience, expiry) and extracts the actor. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuer: string;
  private readonly audience: string;

  constructor(config: AuthConfig) {
    if (config.mode === 'jwks') {
      this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.issuer = config.issuer;
      this.audience = config.audience;
    } else {
      const file = config.keyFile ?? devIssuerFile();
      if (!existsSync(file)) {
        throw new Error(`dev issuer key ${file} not found: run \`npm run token -- --sub <personId>\` once to create it`);
      }
      const { publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as DevIssuerKeyFile;
      this.keys = createLocalJWKSet({ keys: [publicJwk] });
      this.issuer = DEV_ISSUER;
      this.audience = DEV_AUDIENCE;
    }
  }

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.issuer, audience: this.audience, clockTolerance: 5 });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthenticationError('token has no subject');
      const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
      return { personId: payload.sub, roles };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('token expired');
      if (error instanceof errors.JOSEError) throw new AuthenticationError(`token rejected (${error.code})`);
      throw error;
    }
  }
}
