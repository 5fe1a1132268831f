import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import request from 'supertest';
import {
  CLOCK_TOLERANCE_SECONDS,
  createHttpService,
  CurrentActor,
  DEV_AUDIENCE,
  DEV_ISSUER,
  ensureDevIssuerKey,
  PlatformModule,
  TokenVerifier,
  type Actor,
  type DevIssuerKeyFile,
} from '../index';

/*
 * Token validation through HTTP (issue #11 item 4): every way a token can be wrong answers 401
 * problem+json naming the reason; a valid token answers 200. The clock is pinned, so expiry is
 * tested by moving it, not by waiting.
 */
const keyFile = join(mkdtempSync(join(tmpdir(), 'token-validation-')), 'dev-issuer.json');
const START = Date.parse('2026-06-01T12:00:00Z');
let clock = START;
const seconds = () => Math.floor(clock / 1000);

@Controller()
class WhoAmIController {
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return actor;
  }
}

let issuerKey: DevIssuerKeyFile;
let signingKey: KeyLike | Uint8Array;

interface TokenShape {
  readonly header?: Record<string, unknown>;
  readonly claims?: JWTPayload;
  /** Claims to leave out of the default set. */
  readonly without?: readonly string[];
}

/** A token of the dev issuer with the default claims, changed as the row says. */
async function token(shape: TokenShape = {}, key: KeyLike | Uint8Array = signingKey, alg = 'ES256'): Promise<string> {
  const defaults: JWTPayload = { sub: 'person-1', roles: ['employee'], iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: seconds(), exp: seconds() + 600 };
  const claims: JWTPayload = { ...defaults, ...shape.claims };
  for (const name of shape.without ?? []) delete claims[name];
  return new SignJWT(claims).setProtectedHeader({ alg, kid: issuerKey.kid, typ: 'JWT', ...shape.header }).sign(key);
}

interface Row {
  readonly name: string;
  readonly token: () => Promise<string>;
  readonly status: 200 | 401;
  /** What the problem's detail must say (the refusal is for this reason, not another). */
  readonly detail?: RegExp;
}

const rows: readonly Row[] = [
  { name: 'valid (typ JWT, exp in the future)', token: () => token(), status: 200 },
  { name: 'valid access token (typ at+jwt)', token: () => token({ header: { typ: 'at+jwt' } }), status: 200 },
  { name: 'valid access token (typ application/at+jwt)', token: () => token({ header: { typ: 'application/at+jwt' } }), status: 200 },
  { name: 'exp passed within the clock tolerance', token: () => token({ claims: { exp: seconds() - CLOCK_TOLERANCE_SECONDS + 2 } }), status: 200 },
  { name: 'missing exp', token: () => token({ without: ['exp'] }), status: 401, detail: /"exp"/ },
  { name: 'expired exp', token: () => token({ claims: { exp: seconds() - 60 } }), status: 401, detail: /expired/ },
  { name: 'exp that is not a number', token: () => token({ claims: { exp: 'never' as unknown as number } }), status: 401, detail: /"exp"/ },
  { name: 'nbf in the future', token: () => token({ claims: { nbf: seconds() + 60 } }), status: 401, detail: /"nbf"/ },
  { name: 'iat in the future', token: () => token({ claims: { iat: seconds() + 60 } }), status: 401, detail: /iat/ },
  { name: 'wrong aud', token: () => token({ claims: { aud: 'another-api' } }), status: 401, detail: /"aud"/ },
  { name: 'wrong iss', token: () => token({ claims: { iss: 'https://login.example.org' } }), status: 401, detail: /"iss"/ },
  { name: 'missing sub', token: () => token({ without: ['sub'] }), status: 401, detail: /subject/ },
  { name: 'typ missing', token: () => token({ header: { typ: undefined } }), status: 401, detail: /type \(none\)/ },
  { name: 'wrong typ (dpop+jwt)', token: () => token({ header: { typ: 'dpop+jwt' } }), status: 401, detail: /type dpop\+jwt/ },
  { name: 'alg none (unsigned)', token: async () => new UnsecuredJWT({ sub: 'person-1', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: seconds() + 600 }).encode(), status: 401, detail: /algorithm none/ },
  {
    name: 'alg HS256 keyed with the public key (algorithm confusion)',
    token: async () => token({}, new TextEncoder().encode(JSON.stringify(issuerKey.publicJwk)), 'HS256'),
    status: 401,
    detail: /algorithm HS256/,
  },
  {
    name: 'alg ES384 (not in the allow-list)',
    token: async () => token({}, (await generateKeyPair('ES384')).privateKey, 'ES384'),
    status: 401,
    detail: /algorithm ES384/,
  },
  {
    name: 'signed by another key under the issuer kid',
    token: async () => token({}, (await generateKeyPair('ES256')).privateKey),
    status: 401,
    detail: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
  },
  {
    name: 'payload changed after signing',
    token: async () => {
      const [header, , signature] = (await token()).split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'admin-1', roles: ['admin'], iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: seconds() + 600 })).toString('base64url');
      return `${header}.${forged}.${signature}`;
    },
    status: 401,
    detail: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
  },
  { name: 'not a JWT', token: async () => 'not-a-jwt', status: 401, detail: /not a JWT/ },
];

describe('token validation (HTTP, dev issuer, pinned clock)', () => {
  let app: INestApplication;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuerKey = await ensureDevIssuerKey(keyFile);
    signingKey = await importJWK(issuerKey.privateJwk, 'ES256');
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'token-validation', auth: { mode: 'dev', keyFile, now: () => clock } })], controllers: [WhoAmIController] })
    class TestModule {}
    app = await createHttpService(TestModule, { serviceName: 'token-validation', title: 't', description: 'd', version: '1' });
    await app.init();
    verifier = app.get(TokenVerifier);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    clock = START;
  });

  const get = (bearer: string) => request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${bearer}`);

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const res = await get(await row.token());
    expect(res.status).toBe(row.status);
    if (row.status === 200) {
      expect(res.body).toEqual({ personId: 'person-1', roles: ['employee'] });
      return;
    }
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="leadership", error="invalid_token"/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthenticated', instance: '/me' });
    expect(res.body.detail).toMatch(row.detail ?? /./);
  });

  it('names the path as the problem instance, never the query (it may carry a token)', async () => {
    const res = await request(app.getHttpServer()).get('/me?access_token=secret-token-value&x=1');
    expect(res.status).toBe(401);
    expect(res.body.instance).toBe('/me');
    expect(JSON.stringify(res.body)).not.toContain('secret-token-value');
  });

  it('verifies a token once, answers repeats from the cache, and refuses it once its exp passes', async () => {
    const bearer = await token({ claims: { exp: seconds() + 60 } });
    const before = verifier.stats();
    expect((await get(bearer)).status).toBe(200);
    expect((await get(bearer)).status).toBe(200);
    expect((await get(bearer)).status).toBe(200);
    const cached = verifier.stats();
    expect(cached.signatureChecks - before.signatureChecks).toBe(1);
    expect(cached.cacheHits - before.cacheHits).toBe(2);

    clock += (60 + CLOCK_TOLERANCE_SECONDS + 1) * 1000;
    const expired = await get(bearer);
    expect(expired.status).toBe(401);
    expect(expired.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(expired.body.detail).toBe('token expired');
    // Refused from the cache entry itself: no signature check was needed to know.
    expect(verifier.stats().signatureChecks).toBe(cached.signatureChecks);
  });

  it('never caches a refused token: the same bytes are checked again', async () => {
    const bearer = await token({ claims: { aud: 'another-api' } });
    const before = verifier.stats();
    expect((await get(bearer)).status).toBe(401);
    expect((await get(bearer)).status).toBe(401);
    expect(verifier.stats().signatureChecks - before.signatureChecks).toBe(2);
    expect(verifier.stats().cacheHits).toBe(before.cacheHits);
  });

  it('counts checks as the auth_token_checks_total metric', async () => {
    const metrics = await request(app.getHttpServer()).get('/metrics');
    const { signatureChecks, cacheHits } = verifier.stats();
    expect(metrics.text).toContain(`auth_token_checks_total{outcome="signature",service="token-validation"} ${signatureChecks}`);
    expect(metrics.text).toContain(`auth_token_checks_total{outcome="cache",service="token-validation"} ${cacheHits}`);
  });
});

describe('verified-token cache bound', () => {
  it('keeps at most tokenCacheSize tokens, evicting the least recently used', async () => {
    issuerKey = await ensureDevIssuerKey(keyFile);
    signingKey = await importJWK(issuerKey.privateJwk, 'ES256');
    const verifier = new TokenVerifier({ mode: 'dev', keyFile, tokenCacheSize: 2, now: () => clock });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => token({ claims: { sub } })));
    for (const t of [a, b, a, c]) await verifier.verify(t as string); // b is now the least recently used
    expect(verifier.stats()).toMatchObject({ signatureChecks: 3, cacheHits: 1, cachedTokens: 2 });
    await verifier.verify(a as string);
    await verifier.verify(c as string);
    expect(verifier.stats()).toMatchObject({ signatureChecks: 3, cacheHits: 3 });
    await verifier.verify(b as string);
    expect(verifier.stats()).toMatchObject({ signatureChecks: 4, cachedTokens: 2 });
  });

});
