import { AbortedError, backoffDelay, sleep } from './backoff';

describe('back-off', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

  it('doubles per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(policy, a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes up to the jitter fraction off at random', () => {
    expect(backoffDelay({ ...policy, jitter: 0.5 }, 2, () => 1)).toBe(100);
    expect(backoffDelay({ ...policy, jitter: 0.5 }, 2, () => 0)).toBe(200);
  });

  it('sleeps until aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(AbortedError);
    await expect(sleep(1, controller.signal)).rejects.toThrow(AbortedError);
  });
});
