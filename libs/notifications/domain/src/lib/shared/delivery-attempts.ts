import { sha256Hex } from '@leadership/kernel';
import { epochMs, toInstant } from './instant';

/*
 * Retries with back-off, shared by notification deliveries and digest e-mails. Exponential with a
 * cap, then the dead letter. The jitter that keeps a burst of failures from retrying in lockstep is
 * derived from the delivery id and the attempt number instead of drawn at random: deciders must
 * decide the same way twice, or a retried command would schedule a different retry.
 */

/** How often and how far apart a channel retries. */
export interface RetryPolicy {
  /** Attempts in all (the first one included) before the dead letter. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly factor: number;
  /** Longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** Spread of the jitter, as a fraction of the delay (0.2: ±20 %). */
  readonly jitter: number;
}

/**
 * Default for e-mail and webhooks: 30 s, 1 min, 2 min … capped at 2 h, 10 attempts (about 6 hours
 * in all), roughly the span Standard Webhooks senders retry over before giving up.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 30_000, factor: 2, maxDelayMs: 2 * 3_600_000, jitter: 0.2 };

/** A send attempt's result as the adapter reports it. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly responseCode: number | null }
  | {
      readonly kind: 'failed';
      /** False for failures another try cannot fix (4xx other than 408/429, a rejected address). */
      readonly retryable: boolean;
      readonly responseCode: number | null;
      /** What went wrong, for the delivery log (truncated; never the message content). */
      readonly error: string;
    };

/** What follows a failed attempt. */
export type AfterFailure = { readonly kind: 'retry'; readonly nextAttemptAt: string } | { readonly kind: 'dead-letter' };

/** Wait before attempt `attempt + 1` after `attempt` failed (1-based), jittered deterministically by `seed`. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, seed: string): number {
  const exponential = Math.min(policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1), policy.maxDelayMs);
  const unit = parseInt(sha256Hex(`${seed}\u0000${attempt}`).slice(0, 8), 16) / 0x1_0000_0000;
  return Math.round(Math.min(exponential * (1 + policy.jitter * (2 * unit - 1)), policy.maxDelayMs));
}

/** After failed attempt number `attempt` (counted since the last replay): retry at a time, or dead-letter. */
export function afterFailure(policy: RetryPolicy, attempt: number, retryable: boolean, at: string, seed: string): AfterFailure {
  if (!retryable || attempt >= policy.maxAttempts) return { kind: 'dead-letter' };
  return { kind: 'retry', nextAttemptAt: toInstant(epochMs(at) + retryDelayMs(policy, attempt, seed)) };
}

/** Longest error text kept in an event (adapters may report whole server transcripts). */
export const MAX_ERROR_LENGTH = 500;
