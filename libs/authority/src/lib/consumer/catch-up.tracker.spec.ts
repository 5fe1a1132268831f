import type { ConsumerLag } from '@leadership/messaging-kafka';
import { CatchUpTracker, type ConsumerCondition } from './catch-up.tracker';

const BOUND = 1000;
const running: ConsumerCondition = { state: 'running', lastError: null };

/** Lag over two partitions, `behind` messages left on the first. */
function lag(behind = 0): ConsumerLag {
  return {
    total: behind,
    partitions: [
      { topic: 'mandates', partition: 0, high: 10 + behind, position: 10, lag: behind },
      { topic: 'directory', partition: 0, high: 4, position: 4, lag: 0 },
    ],
  };
}

/** A tracker on a fake clock (epoch ms), and a way to move the clock. */
function tracker(start = Date.parse('2030-01-01T00:00:00.000Z')) {
  let now = start;
  const t = new CatchUpTracker(BOUND, () => now);
  return {
    t,
    now: () => now,
    advance: (ms: number) => (now += ms),
    /** A whole probe: sent now, answered `rttMs` later. */
    probe(result: ConsumerLag, rttMs = 5, consumesAll = true) {
      const sentAt = now;
      t.probeStarted(sentAt);
      now += rttMs;
      t.probeAnswered(sentAt, result, consumesAll);
    },
  };
}

describe('CatchUpTracker (how stale the authority projection may be)', () => {
  it('is infinitely stale, with the reason, before any probe found it caught up', () => {
    const { t } = tracker();
    expect(t.stalenessMs(running)).toBe(Number.POSITIVE_INFINITY);
    expect(t.freshness(running)).toEqual({
      fresh: false,
      stalenessMs: null,
      boundMs: BOUND,
      caughtUpAt: null,
      reason: expect.stringMatching(/not caught up with the delegation topics since start/),
    });
  });

  it('counts a caught-up probe from the moment it was sent, not when it was answered', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0), 300);
    expect(t.stalenessMs(running)).toBe(300);
    advance(100);
    expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 400, reason: null, caughtUpAt: '2030-01-01T00:00:00.000Z' });
  });

  it('stays fresh under a steady stream of changes: a probe counts once the consumer passes the watermarks it saw', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0));
    // Every probe finds two messages left — new ones keep arriving — but the consumer is never more
    // than those two behind: each probe's watermarks are passed by the time of the next.
    let position = 10;
    for (let i = 0; i < 40; i++) {
      advance(250);
      probe({ total: 2, partitions: [{ topic: 'mandates', partition: 0, high: position + 2, position, lag: 2 }, { topic: 'directory', partition: 0, high: 4, position: 4, lag: 0 }] });
      position += 2;
    }
    expect(t.freshness(running)).toMatchObject({ fresh: true });
    // Caught up as of the previous probe's start: 255 ms before the last one's, answered 5 ms after it.
    expect(t.stalenessMs(running)).toBe(260);
  });

  it('counts a passed probe as soon as the handled positions reach its watermarks, not one probe later', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0));
    advance(2000);
    // Sent at T, answered with 3 messages left; nothing is proven since the first probe.
    probe({ total: 3, partitions: [{ topic: 'mandates', partition: 0, high: 13, position: 10, lag: 3 }] });
    expect(t.freshness(running)).toMatchObject({ fresh: false });
    advance(100);
    t.handledUpTo(new Map([['mandates:0', 12]]));
    expect(t.freshness(running)).toMatchObject({ fresh: false });
    // The third message handled: caught up as of that probe's start, 105 ms ago.
    t.handledUpTo(new Map([['mandates:0', 13]]));
    expect(t.stalenessMs(running)).toBe(105);
  });

  it('a backlog stays stale until the consumer reaches the watermarks of a probe', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0));
    // 100 messages arrive at once; the consumer works them off 10 per probe interval.
    const high = 110;
    for (let position = 10; position < high; position += 10) {
      advance(250);
      probe({ total: high - position, partitions: [{ topic: 'mandates', partition: 0, high, position, lag: high - position }] });
    }
    expect(t.freshness(running)).toMatchObject({ fresh: false, reason: expect.stringMatching(/10 messages on the delegation topics not applied yet/) });
    advance(250);
    // Now past the watermark every probe of the backlog saw: caught up as of the latest of them.
    probe({ total: 3, partitions: [{ topic: 'mandates', partition: 0, high: high + 3, position: high, lag: 3 }] });
    expect(t.stalenessMs(running)).toBe(260);
  });

  it('stays fresh through hours without a message, as long as the probes are answered', () => {
    const { t, probe, advance } = tracker();
    for (let i = 0; i < 4 * 3600 * 4; i++) {
      probe(lag(0));
      advance(245);
      expect(t.stalenessMs(running)).toBeLessThanOrEqual(BOUND);
    }
    expect(t.freshness(running).fresh).toBe(true);
  });

  it('becomes stale after the bound when the brokers stop answering, and says why', () => {
    const { t, probe, advance, now } = tracker();
    probe(lag(0));
    advance(250);
    t.probeStarted(now()); // the broker is gone
    t.probeFailed(now(), 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    advance(500);
    expect(t.freshness(running).fresh).toBe(true);
    advance(300);

    expect(t.freshness(running)).toMatchObject({
      fresh: false,
      stalenessMs: 1055,
      reason: expect.stringMatching(/brokers did not answer the catch-up check: Connection error: connect ECONNREFUSED/),
    });
  });

  it('says so when a probe has been waiting for the brokers longer than the bound', () => {
    const { t, probe, advance, now } = tracker();
    probe(lag(0));
    t.probeStarted(now());
    advance(1500);
    expect(t.freshness(running)).toMatchObject({ fresh: false, reason: expect.stringMatching(/have not answered the catch-up check for 1500 ms/) });
  });

  it('stays stale while a backlog is worked off, and fresh from the first probe that finds none left', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0));
    advance(2000);
    probe(lag(40));
    expect(t.freshness(running)).toMatchObject({ fresh: false, reason: expect.stringMatching(/40 messages on the delegation topics not applied yet/) });
    advance(250);
    probe(lag(3));
    expect(t.freshness(running).fresh).toBe(false);
    advance(250);
    probe(lag(0));
    expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 5 });
  });

  it('does not count an answer without partitions (the consumer has not learned its topics yet)', () => {
    const { t, probe } = tracker();
    probe({ total: 0, partitions: [] });
    expect(t.freshness(running)).toMatchObject({ fresh: false, stalenessMs: null, reason: expect.stringMatching(/not learned its partitions/) });
  });

  it('ages while the consumer is out of its group (rebalance, restart), staying fresh within the bound', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0));
    const rebalancing: ConsumerCondition = { state: 'reconnecting', lastError: 'The group is rebalancing' };
    t.consumerNotRunning(rebalancing);
    advance(400);
    expect(t.freshness(rebalancing).fresh).toBe(true);
    advance(700);
    expect(t.freshness(rebalancing)).toMatchObject({ fresh: false, stalenessMs: 1105, reason: expect.stringMatching(/consumer is reconnecting \(The group is rebalancing\)/) });
    probe(lag(0));
    expect(t.freshness(running).fresh).toBe(true);
  });

  it('is infinitely stale once the consumer stops: it applies nothing any more', () => {
    const { t, probe } = tracker();
    probe(lag(0));
    const stopped: ConsumerCondition = { state: 'stopped', lastError: null };
    expect(t.stalenessMs(stopped)).toBe(Number.POSITIVE_INFINITY);
    expect(t.freshness(stopped)).toMatchObject({ fresh: false, stalenessMs: null, reason: expect.stringMatching(/consumer is stopped/) });
  });

  it('never goes back to an older caught-up moment when answers arrive out of order', () => {
    const { t, advance, now } = tracker();
    const early = now();
    advance(500);
    const late = now();
    t.probeAnswered(late, lag(0), true);
    t.probeAnswered(early, lag(0), true);
    expect(t.freshness(running).caughtUpAt).toBe(new Date(late).toISOString());
  });

  describe('with partitions consumed by other instances (merged through the store refresh)', () => {
    it('counts a caught-up moment only once a refresh that started after it has completed', () => {
      const { t, probe, advance } = tracker();
      probe(lag(0), 5, false);
      expect(t.freshness(running)).toMatchObject({ fresh: false, stalenessMs: null, reason: expect.stringMatching(/no store refresh has merged/) });

      advance(100);
      const refresh = t.refreshStarted();
      advance(50);
      t.refreshCompleted(refresh);
      expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 155 });

      // Later probes are caught up, but the others' writes are in memory only as of the last merge.
      for (let i = 0; i < 8; i++) {
        advance(245);
        probe(lag(0), 5, false);
      }
      expect(t.freshness(running)).toMatchObject({ fresh: false, reason: expect.stringMatching(/merged from the store only at each refresh/) });
    });

    it('counts every probe again once this instance consumes all partitions', () => {
      const { t, probe } = tracker();
      probe(lag(0), 5, false);
      probe(lag(0), 5, true);
      expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 5 });
    });
  });
});
