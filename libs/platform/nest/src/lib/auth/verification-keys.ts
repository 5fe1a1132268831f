import { createLocalJWKSet, errors, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { ASYMMETRIC_ALGORITHMS } from './auth-config';

/** The JWKS could not be fetched: no token can be checked against current keys (503, not 401). */
export class VerificationKeysUnavailableError extends Error {
  override readonly name = 'VerificationKeysUnavailableError';
}

/**
 * The public keys tokens are verified with. A cached verification is only reused while
 * `fingerprint(kid)` still returns what it returned when the token was verified: a key that
 * is removed (or replaced under the same kid) invalidates the tokens it verified.
 */
export interface VerificationKeys {
  /** For jose's jwtVerify: resolves the key for a token's header (fetching the set when stale). */
  readonly getKey: JWTVerifyGetKey;
  /** Fetches the set again when it is older than its maximum age; undefined when nothing to do. */
  refreshIfStale(): Promise<void> | undefined;
  /** Accepted `alg` values: the configured ones plus the asymmetric ones the keys declare. */
  algorithms(): ReadonlySet<string>;
  /** Identity of the keys a token with this `kid` resolves to in the current set; undefined when none. */
  fingerprint(kid: string | undefined): string | undefined;
}

/** One fetched (or loaded) key set with what the verifier needs from it, computed once. */
class KeySetSnapshot {
  readonly getKey: JWTVerifyGetKey;
  readonly algorithms: ReadonlySet<string>;
  private readonly fingerprints = new Map<string, string>();
  private readonly whole: string;

  constructor(readonly jwks: JSONWebKeySet, configured: readonly string[]) {
    this.getKey = createLocalJWKSet(jwks);
    const declared = jwks.keys.map((k) => k.alg).filter((a): a is string => typeof a === 'string' && ASYMMETRIC_ALGORITHMS.has(a));
    this.algorithms = new Set(['ES256', ...configured, ...declared]);
    // A token without `kid` may be verified by any key of the set, so its fingerprint is the whole set.
    this.whole = JSON.stringify(jwks.keys);
    const byKid = new Map<string, JWK[]>();
    for (const key of jwks.keys) if (typeof key.kid === 'string') byKid.set(key.kid, [...(byKid.get(key.kid) ?? []), key]);
    for (const [kid, keys] of byKid) this.fingerprints.set(kid, JSON.stringify(keys));
  }

  fingerprint(kid: string | undefined): string | undefined {
    return kid === undefined ? this.whole : this.fingerprints.get(kid);
  }
}

/** A fixed key set (the dev issuer's public key): never refreshed, so never stale. */
export class StaticVerificationKeys implements VerificationKeys {
  private readonly snapshot: KeySetSnapshot;
  readonly getKey: JWTVerifyGetKey;

  constructor(jwks: JSONWebKeySet, algorithms: readonly string[] = []) {
    this.snapshot = new KeySetSnapshot(jwks, algorithms);
    this.getKey = this.snapshot.getKey;
  }

  refreshIfStale(): undefined {
    return undefined;
  }

  algorithms(): ReadonlySet<string> {
    return this.snapshot.algorithms;
  }

  fingerprint(kid: string | undefined): string | undefined {
    return this.snapshot.fingerprint(kid);
  }
}

/** After a failed fetch, the next attempt waits this long (callers get the failure meanwhile). */
export const RETRY_AFTER_FAILURE_MS = 5_000;

export interface RemoteVerificationKeysOptions {
  /** Refetch once the set is older than this (bounds how long a removed key is accepted). */
  readonly maxAgeMs: number;
  /** An unknown `kid` triggers a refetch at most this often (a key added by rotation). */
  readonly cooldownMs?: number;
  readonly timeoutMs?: number;
  readonly algorithms?: readonly string[];
  readonly now?: () => number;
}

/**
 * An identity provider's JWKS over HTTP. Fetched on first use and again when older than
 * `maxAgeMs`; concurrent callers share one fetch. When the set cannot be fetched while it is stale,
 * verification fails closed (VerificationKeysUnavailableError): keys that may have been
 * withdrawn are not trusted past their maximum age.
 */
export class RemoteVerificationKeys implements VerificationKeys {
  private snapshot: KeySetSnapshot | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;
  private lastFailure: { readonly at: number; readonly error: VerificationKeysUnavailableError } | undefined;
  private readonly now: () => number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly url: URL, private readonly options: RemoteVerificationKeysOptions) {
    this.now = options.now ?? Date.now;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    await this.refreshIfStale();
    const current = this.current();
    try {
      return await current.getKey(header, token);
    } catch (error) {
      // A new key (rotation) is announced in the JWKS before tokens use it: look again, but not for every forged kid.
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.now() < this.fetchedAt + this.cooldownMs) throw error;
      await this.reload();
      return this.current().getKey(header, token);
    }
  };

  refreshIfStale(): Promise<void> | undefined {
    return this.now() >= this.fetchedAt + this.options.maxAgeMs ? this.reload() : undefined;
  }

  algorithms(): ReadonlySet<string> {
    return this.snapshot?.algorithms ?? new Set(['ES256', ...(this.options.algorithms ?? [])]);
  }

  fingerprint(kid: string | undefined): string | undefined {
    return this.snapshot?.fingerprint(kid);
  }

  private current(): KeySetSnapshot {
    if (!this.snapshot) throw new VerificationKeysUnavailableError('the identity provider keys were never fetched');
    return this.snapshot;
  }

  private reload(): Promise<void> {
    // While the provider is unreachable, requests fail fast instead of each waiting for a timeout.
    if (this.lastFailure && this.now() < this.lastFailure.at + RETRY_AFTER_FAILURE_MS) return Promise.reject(this.lastFailure.error);
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<void> {
    let jwks: JSONWebKeySet;
    try {
      const response = await fetch(this.url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      jwks = (await response.json()) as JSONWebKeySet;
      this.snapshot = new KeySetSnapshot(jwks, this.options.algorithms ?? []);
    } catch (error) {
      // The old set is dropped once stale: fail closed rather than trust keys that may be withdrawn.
      if (this.now() >= this.fetchedAt + this.options.maxAgeMs) this.snapshot = undefined;
      const unavailable = new VerificationKeysUnavailableError(
        `the identity provider keys (${this.url.host}) could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.lastFailure = { at: this.now(), error: unavailable };
      throw unavailable;
    }
    this.lastFailure = undefined;
    this.fetchedAt = this.now();
  }
}
