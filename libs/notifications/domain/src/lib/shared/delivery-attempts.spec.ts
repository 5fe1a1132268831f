import { afterFailure, DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './delivery-attempts';

const exact: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, factor: 2, maxDelayMs: 5_000, jitter: 0 };

describe('back-off', () => {
  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(exact, n, 'd-1'))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('jitters deterministically: the same delivery and attempt always wait the same, others differ, all within the spread', () => {
    const a = retryDelayMs(DEFAULT_RETRY_POLICY, 3, 'd-1');
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3, 'd-1')).toBe(a);
    const spread = ['d-2', 'd-3', 'd-4', 'd-5'].map((seed) => retryDelayMs(DEFAULT_RETRY_POLICY, 3, seed));
    expect(new Set([a, ...spread]).size).toBeGreaterThan(1);
    for (const delay of [a, ...spread]) {
      expect(delay).toBeGreaterThanOrEqual(120_000 * 0.8);
      expect(delay).toBeLessThanOrEqual(120_000 * 1.2);
    }
  });

  it('retries a retryable failure until the last attempt, then dead-letters; never retries a permanent one', () => {
    expect(afterFailure(exact, 1, true, '2026-03-02T08:00:00.000Z', 'd-1')).toEqual({ kind: 'retry', nextAttemptAt: '2026-03-02T08:00:01.000Z' });
    expect(afterFailure(exact, 4, true, '2026-03-02T08:00:00.000Z', 'd-1')).toEqual({ kind: 'retry', nextAttemptAt: '2026-03-02T08:00:05.000Z' });
    expect(afterFailure(exact, 5, true, '2026-03-02T08:00:00.000Z', 'd-1')).toEqual({ kind: 'dead-letter' });
    expect(afterFailure(exact, 1, false, '2026-03-02T08:00:00.000Z', 'd-1')).toEqual({ kind: 'dead-letter' });
  });
});
