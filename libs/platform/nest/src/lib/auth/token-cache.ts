import { createHash } from 'node:crypto';
import type { Actor } from './actor';

/** A token that passed verification, as remembered until it expires. */
export interface VerifiedToken {
  readonly actor: Actor;
  /** The token's `exp`, seconds since the epoch. */
  readonly exp: number;
  /** Header `kid` and the fingerprint of the keys it resolved to (see VerificationKeys). */
  readonly kid: string | undefined;
  readonly keyFingerprint: string | undefined;
}

/**
 * Verified tokens by SHA-256 of the token (the token itself is not kept), least recently used
 * evicted first. Only tokens that passed every check are stored, so a hit needs the same bytes,
 * signature included. Expiry and key withdrawal are checked by the verifier on every hit.
 */
export class TokenCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new Error(`token cache size must be a non-negative integer, got ${maxEntries}`);
  }

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string): VerifiedToken | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: VerifiedToken): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
