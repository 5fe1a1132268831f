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

/**
 * A tracker on a fake clock (epoch ms), and a way to move the clock. With `relay: 'prompt'` (the
 * default) the delegation relay's report arrives 1 ms before each probe, vouching for that moment:
 * a caught-up moment is then 1 ms before the probe's start. With `'silent'` nothing is reported
 * unless a test calls `report`.
 */
function tracker({ start = Date.parse('2030-01-01T00:00:00.000Z'), relay = 'prompt' }: { start?: number; relay?: 'prompt' | 'silent' } = {}) {
  let now = start;
  const t = new CatchUpTracker(BOUND, () => now);
  return {
    t,
    now: () => now,
    advance: (ms: number) => (now += ms),
    /** A progress report arrives now, vouching for `coveredUntil` (default: now). */
    report: (coveredUntil = now) => t.progressReceived(now, coveredUntil),
    /** A whole probe: sent now, answered `rttMs` later. */
    probe(result: ConsumerLag, rttMs = 5, consumesAll = true) {
      if (relay === 'prompt') t.progressReceived(now - 1, now - 1);
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
      reason: expect.stringMatching(/relay has not reported progress since start.*not caught up with the delegation event store since start/),
    });
  });

  it('counts a caught-up probe from the moment it was sent (or the relay\'s report before it), not when it was answered', () => {
    const { t, probe, advance } = tracker();
    probe(lag(0), 300);
    expect(t.stalenessMs(running)).toBe(301);
    advance(100);
    expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 401, reason: null, caughtUpAt: '2029-12-31T23:59:59.999Z' });
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
    // Caught up as of the previous probe's start (its report 1 ms before): 255 ms before the last one's, answered 5 ms after it.
    expect(t.stalenessMs(running)).toBe(261);
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
    // The third message handled: caught up as of that probe's start (its report 1 ms before), 106 ms ago.
    t.handledUpTo(new Map([['mandates:0', 13]]));
    expect(t.stalenessMs(running)).toBe(106);
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
    expect(t.stalenessMs(running)).toBe(261);
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
      stalenessMs: 1056,
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
    expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 6 });
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
    expect(t.freshness(rebalancing)).toMatchObject({ fresh: false, stalenessMs: 1106, reason: expect.stringMatching(/consumer is reconnecting \(The group is rebalancing\)/) });
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
    const { t, advance, now, report } = tracker();
    report();
    advance(1);
    const early = now();
    advance(500);
    report();
    advance(1);
    const late = now();
    t.probeAnswered(late, lag(0), true);
    t.probeAnswered(early, lag(0), true);
    expect(t.freshness(running).caughtUpAt).toBe(new Date(late - 1).toISOString());
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
      expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 156 });

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
      expect(t.freshness(running)).toMatchObject({ fresh: true, stalenessMs: 6 });
    });
  });

  describe('against the delegation event store: the relay\'s progress reports', () => {
    /**
     * Runs the world in 10 ms steps for `ms`: the relay's report every 100 ms (when `reporting`),
     * vouching for `coveredLagMs` before it arrives (relay → Kafka → consumer); a probe every
     * 250 ms, answered at once with nothing left (idle). Returns the largest staleness seen.
     */
    function world(relay: 'prompt' | 'silent' = 'silent') {
      const w = tracker({ relay });
      let elapsed = 0;
      return {
        ...w,
        run(ms: number, { reporting, coveredLagMs = 30 }: { reporting: boolean; coveredLagMs?: number }): number {
          let worst = 0;
          for (const end = elapsed + ms; elapsed < end; elapsed += 10) {
            if (reporting && elapsed % 100 === 0) w.t.progressReceived(w.now(), w.now() - coveredLagMs);
            if (elapsed % 250 === 0) {
              w.t.probeStarted(w.now());
              w.t.probeAnswered(w.now(), lag(0), true);
            }
            worst = Math.max(worst, w.t.stalenessMs(running));
            w.advance(10);
          }
          return worst;
        },
      };
    }

    it('idle with steady progress: stays fresh, about a report interval and a probe interval behind at worst', () => {
      const w = world();
      w.run(1000, { reporting: true });
      const worst = w.run(3_600_000, { reporting: true });
      expect(worst).toBeLessThanOrEqual(250 + 100 + 30);
      expect(w.t.freshness(running)).toMatchObject({ fresh: true, reason: null });
    });

    it('relay stopped while the probes keep passing: stale once the bound has passed since its last report, saying so', () => {
      const w = world();
      w.run(2000, { reporting: true });
      const lastReport = w.now() - 100; // the run ends 100 ms after a report
      w.run(800, { reporting: false });
      expect(w.t.freshness(running).fresh).toBe(true);
      w.run(400, { reporting: false });
      const freshness = w.t.freshness(running);
      expect(freshness).toMatchObject({ fresh: false, reason: expect.stringMatching(/delegation relay has not reported progress for 1\d{3} ms/) });
      // Caught up as of what the last report vouched for, however many probes passed since.
      expect(freshness.caughtUpAt).toBe(new Date(lastReport - 30).toISOString());
      w.run(60_000, { reporting: false });
      expect(w.t.freshness(running).fresh).toBe(false);
    });

    it('relay reporting again: fresh from the first probe after a report', () => {
      const w = world();
      w.run(1000, { reporting: true });
      w.run(5000, { reporting: false });
      expect(w.t.freshness(running).fresh).toBe(false);
      w.run(300, { reporting: true });
      expect(w.t.freshness(running)).toMatchObject({ fresh: true, reason: null });
      expect(w.t.stalenessMs(running)).toBeLessThanOrEqual(250 + 100 + 30);
    });

    it('never fresh without a report, however often the probes pass', () => {
      const w = world();
      w.run(10_000, { reporting: false });
      expect(w.t.freshness(running)).toMatchObject({ fresh: false, stalenessMs: null, reason: expect.stringMatching(/delegation relay has not reported progress since start/) });
    });

    it('a report received after a probe started does not count for that probe, only for the next', () => {
      const { t, now, advance, report } = tracker({ relay: 'silent' });
      const sentAt = now();
      t.probeStarted(sentAt);
      advance(10);
      report(); // arrives while the probe is out: it may have been written after the brokers answered
      t.probeAnswered(sentAt, lag(0), true);
      expect(t.freshness(running)).toMatchObject({ fresh: false, stalenessMs: null });
      // Nor one in the very ms the probe is sent: it may have been handled after the request left.
      report();
      t.probeStarted(now());
      t.probeAnswered(now(), lag(0), true);
      expect(t.freshness(running)).toMatchObject({ fresh: false, stalenessMs: null });
      advance(1);
      const next = now();
      t.probeStarted(next);
      t.probeAnswered(next, lag(0), true);
      expect(t.freshness(running)).toMatchObject({ fresh: true, caughtUpAt: new Date(sentAt + 10).toISOString(), stalenessMs: 1 });
    });

    it('a probe passed later counts as of the report before it, not as of its own start (busy)', () => {
      const { t, now, advance, report } = tracker({ relay: 'silent' });
      report(now() - 40); // vouches for 40 ms before it arrived
      advance(20);
      const sentAt = now();
      t.probeStarted(sentAt);
      t.probeAnswered(sentAt, { total: 3, partitions: [{ topic: 'mandates', partition: 0, high: 13, position: 10, lag: 3 }] }, true);
      advance(100);
      report(); // later reports do not help a probe sent before them
      t.handledUpTo(new Map([['mandates:0', 13]]));
      expect(t.freshness(running)).toMatchObject({ fresh: true, caughtUpAt: new Date(sentAt - 60).toISOString(), stalenessMs: 160 });
    });

    it('the relay behind its store (reports arrive, vouching for old moments): stale, saying so', () => {
      const w = world();
      w.run(1000, { reporting: true });
      w.run(2000, { reporting: true, coveredLagMs: 1500 });
      expect(w.t.freshness(running)).toMatchObject({ fresh: false, reason: expect.stringMatching(/relay is behind its event store: its latest report covers only until .*, 1600 ms ago/) });
    });

    it('clamps a moment later than the report\'s arrival to its arrival (a delegation clock ahead of this one)', () => {
      const { t, now, advance, report } = tracker({ relay: 'silent' });
      const arrived = now();
      report(arrived + 5000);
      advance(5);
      t.probeStarted(now());
      t.probeAnswered(now(), lag(0), true);
      expect(t.freshness(running)).toMatchObject({ caughtUpAt: new Date(arrived).toISOString(), stalenessMs: 5 });
      // An earlier moment reported later never takes back what was vouched for.
      report(arrived - 1000);
      advance(5);
      t.probeStarted(now());
      t.probeAnswered(now(), lag(0), true);
      expect(t.freshness(running).caughtUpAt).toBe(new Date(arrived).toISOString());
    });
  });
});
