import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { AuthenticationError, TokenVerifier, VerificationKeysUnavailableError } from '../index';

/*
 * An identity provider's JWKS served over HTTP by this test, with keys it adds and removes: a
 * cached token stays accepted only while its key is in the set — at most jwksMaxAgeSeconds after
 * the key is withdrawn (the documented bound). The clock is pinned and moved.
 */
const ISSUER = 'https://login.example.test/realms/leadership';
const AUDIENCE = 'leadership';
const MAX_AGE_SECONDS = 60;

interface IssuerKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

async function issuerKey(kid: string, alg = 'ES256', declareAlg = true): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', ...(declareAlg ? { alg } : {}) } };
}

describe('JWKS verification keys', () => {
  let server: Server;
  let published: IssuerKey[] = [];
  let reachable = true;
  let fetches = 0;
  let clock = Date.parse('2026-06-01T12:00:00Z');
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      if (!reachable) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const verifierFor = (algorithms?: string[]) =>
    new TokenVerifier({ mode: 'jwks', jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, jwksMaxAgeSeconds: MAX_AGE_SECONDS, now: () => clock, ...(algorithms ? { algorithms } : {}) });
  const sign = (key: IssuerKey, sub = 'person-1') =>
    new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(clock / 1000))
      .setExpirationTime(Math.floor(clock / 1000) + 3600)
      .sign(key.privateKey);

  it('stops accepting a cached token within jwksMaxAgeSeconds of its key leaving the JWKS', async () => {
    const old = await issuerKey('key-2026-05');
    published = [old];
    const verifier = verifierFor();
    const bearer = await sign(old);
    await expect(verifier.verify(bearer)).resolves.toEqual({ personId: 'person-1', roles: [] });

    published = []; // the provider withdraws the key
    clock += (MAX_AGE_SECONDS - 1) * 1000;
    const fetchesBefore = fetches;
    await expect(verifier.verify(bearer)).resolves.toMatchObject({ personId: 'person-1' });
    expect(fetches).toBe(fetchesBefore); // within the bound: answered from the cache, no fetch
    expect(verifier.stats().cacheHits).toBe(1);

    clock += 2000; // past the JWKS's maximum age
    await expect(verifier.verify(bearer)).rejects.toThrow(/ERR_JWKS_NO_MATCHING_KEY/);
    expect(fetches).toBe(fetchesBefore + 1);
  });

  it('accepts a key added by rotation without waiting for the maximum age, but refetches at most once per cooldown', async () => {
    const current = await issuerKey('key-a');
    published = [current];
    const verifier = verifierFor();
    await verifier.verify(await sign(current));
    const next = await issuerKey('key-b');
    const fetchesBefore = fetches;
    // An unknown kid right after a fetch: not refetched (a stream of forged kids must not hammer the provider).
    await expect(verifier.verify(await sign(next))).rejects.toThrow(AuthenticationError);
    expect(fetches).toBe(fetchesBefore);
    published = [current, next];
    clock += 31_000;
    await expect(verifier.verify(await sign(next, 'person-2'))).resolves.toMatchObject({ personId: 'person-2' });
    expect(fetches).toBe(fetchesBefore + 1);
  });

  it('re-verifies a cached token whose kid now names a different key', async () => {
    const original = await issuerKey('key-reused');
    published = [original];
    const verifier = verifierFor();
    const bearer = await sign(original);
    await verifier.verify(bearer);
    published = [await issuerKey('key-reused')];
    clock += (MAX_AGE_SECONDS + 1) * 1000;
    await expect(verifier.verify(bearer)).rejects.toThrow(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  it('accepts the algorithms the JWKS declares, and undeclared ones only when configured', async () => {
    const declared = await issuerKey('rsa-declared', 'RS256');
    const undeclared = await issuerKey('rsa-undeclared', 'RS256', false);
    published = [declared, undeclared];
    await expect(verifierFor().verify(await sign(declared))).resolves.toMatchObject({ personId: 'person-1' });
    published = [undeclared];
    await expect(verifierFor().verify(await sign(undeclared))).rejects.toThrow(/algorithm RS256 is not accepted/);
    await expect(verifierFor(['RS256']).verify(await sign(undeclared))).resolves.toMatchObject({ personId: 'person-1' });
  });

  it('fails closed when the JWKS cannot be fetched once the cached set is stale', async () => {
    const key = await issuerKey('key-outage');
    published = [key];
    const verifier = verifierFor();
    const bearer = await sign(key);
    await verifier.verify(bearer);
    reachable = false;
    try {
      clock += (MAX_AGE_SECONDS + 1) * 1000;
      await expect(verifier.verify(bearer)).rejects.toThrow(VerificationKeysUnavailableError);
      const fetchesBefore = fetches;
      await expect(verifier.verify(bearer)).rejects.toThrow(VerificationKeysUnavailableError);
      expect(fetches).toBe(fetchesBefore); // failing fast while the provider is down, not one fetch per request
      reachable = true;
      clock += 6_000;
      await expect(verifier.verify(bearer)).resolves.toMatchObject({ personId: 'person-1' });
    } finally {
      reachable = true;
    }
  });
});
