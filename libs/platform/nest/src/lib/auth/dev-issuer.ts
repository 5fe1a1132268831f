import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/*
 * The local dev issuer: one ES256 key pair kept in .local/auth/dev-issuer.json, used by
 * `npm run token` to sign tokens and by services in dev mode to verify them. Production uses a
 * real identity provider's JWKS (AUTH_JWKS_URL).
 */
export const DEV_ISSUER = 'urn:leadership:dev-issuer';
export const DEV_AUDIENCE = 'leadership';

export interface DevIssuerKeyFile {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export function devIssuerFile(): string {
  return process.env['AUTH_DEV_KEY_FILE'] ?? resolve(__dirname, '../../../../../../.local/auth/dev-issuer.json');
}

/** Reads the key file, waiting briefly if another process is still writing it. */
async function readKeyFile(file: string): Promise<DevIssuerKeyFile> {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as DevIssuerKeyFile;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function ensureDevIssuerKey(file = devIssuerFile()): Promise<DevIssuerKeyFile> {
  if (existsSync(file)) return readKeyFile(file);
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const key: DevIssuerKeyFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
  mkdirSync(dirname(file), { recursive: true });
  try {
    // Exclusive create: when several processes create the key at once, the first one wins and
    // the others use its key (otherwise tokens would be signed with keys nobody verifies).
    writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    return readKeyFile(file);
  }
  return key;
}

export interface DevTokenRequest {
  readonly sub: string;
  readonly roles?: readonly string[];
  /** Lifetime in seconds (default 8 h). */
  readonly ttlSeconds?: number;
  readonly keyFile?: string;
}

export async function issueDevToken(request: DevTokenRequest): Promise<string> {
  const key = await ensureDevIssuerKey(request.keyFile);
  const signingKey = await importJWK(key.privateJwk, 'ES256');
  return new SignJWT({ roles: [...(request.roles ?? [])] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 8 * 3600}s`)
    .sign(signingKey);
}

export const devIssuerDir = (file = devIssuerFile()) => dirname(file);
export const devJwksPath = (file = devIssuerFile()) => join(dirname(file), 'jwks.json');
