/** Exponential back-off between retries, with jitter so that many clients do not retry in step. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay, in ms. */
  readonly maxDelayMs: number;
  /** Growth per attempt; default 2. */
  readonly multiplier?: number;
  /** Fraction of the delay drawn at random (0 = none, 1 = full jitter); default 0.2. */
  readonly jitter?: number;
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * (policy.multiplier ?? 2) ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0.2));
  return Math.round(capped * (1 - jitter * random()));
}

/** The wait was cut short because the work it belongs to is being stopped. */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';
  constructor(what = 'operation') {
    super(`${what} aborted`);
  }
}

/** Waits `ms`; rejects with AbortedError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('wait'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
