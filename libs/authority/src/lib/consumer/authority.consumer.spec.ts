import type { ConsumerLag, ConsumerStatus } from '@leadership/messaging-kafka';
import { AuthorityStaleError } from '../projection/authority-freshness';
import { AuthorityProjection, AuthorityProjectionNotReadyError } from '../projection/authority.projection';
import { InMemoryAuthorityStore } from '../projection/in-memory-authority.store';
import { AuthorityConsumer } from './authority.consumer';

/*
 * The freshness probe of the consumer over a stand-in for the Kafka server (its status and lag),
 * on jest's fake clock: which answers grant, which refuse, and that probes never pile up.
 */
const managerMay = { personId: 'person-manager-1', authority: 'cases.assign', unitId: 'unit-claims', at: '2030-01-01T00:00:00.000Z' };
const strangerMay = { ...managerMay, personId: 'person-stranger' };
const caughtUp: ConsumerLag = { total: 0, partitions: [{ topic: 'leadership.delegation.mandates.v1', partition: 0, high: 7, position: 7, lag: 0 }] };

function status(state: ConsumerStatus['state'], lastError: string | null = null): ConsumerStatus {
  return {
    group: 'test.authority',
    state,
    lastError,
    lastErrorAt: null,
    lastMessageAt: null,
    messages: { handled: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 },
    assignments: [{ topic: 'leadership.delegation.mandates.v1', partitions: [0] }],
  };
}

/** The delegation relay's reports, every 100 ms while a test lets it report (fake timers). */
const relays: NodeJS.Timeout[] = [];

async function setUp() {
  const projection = new AuthorityProjection(new InMemoryAuthorityStore());
  await projection.load();
  await projection.applyUnitChanged({ unitId: 'unit-claims', version: 0, name: 'Claims', parentId: null, managerIds: ['person-manager-1'], removedManagerIds: [], occurredAt: '2030-01-01T00:00:00.000Z' });
  const consumer = new AuthorityConsumer({
    kafka: { brokers: ['127.0.0.1:1'] },
    group: 'test.authority',
    projection,
    refreshIntervalMs: 0,
    freshnessProbeIntervalMs: 250,
    relayProgress: { listen: false },
    metrics: false,
  });
  // A report vouching for 20 ms before it arrived, every 100 ms; the first 1 ms before any probe.
  const report = () => consumer.relayProgressReceived(Date.now() - 20);
  report();
  let relay = setInterval(report, 100);
  relays.push(relay);
  await jest.advanceTimersByTimeAsync(1);
  let current = status('running');
  let answer: () => Promise<ConsumerLag> = async () => caughtUp;
  jest.spyOn(consumer.server, 'consumerStatus').mockImplementation(() => current);
  const lag = jest.spyOn(consumer.server, 'lag').mockImplementation(() => answer());
  return {
    projection,
    consumer,
    lag,
    setState: (s: ConsumerStatus) => (current = s),
    answerWith: (a: () => Promise<ConsumerLag>) => (answer = a),
    relayStops: () => clearInterval(relay),
    relayResumes: () => relays.push((relay = setInterval(report, 100))),
  };
}

describe('AuthorityConsumer freshness', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') }));
  afterEach(() => {
    relays.splice(0).forEach(clearInterval);
    jest.useRealTimers();
  });

  it('grants nothing before the first probe found the projection caught up; denials are answered', async () => {
    const { projection, consumer } = await setUp();
    expect(consumer.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
    expect(() => projection.mayFresh(managerMay)).toThrow(AuthorityStaleError);
    expect(projection.mayFresh(strangerMay)).toMatchObject({ allowed: false });
    expect(projection.may(managerMay)).toMatchObject({ allowed: true });
    // An answer that is not a `may` but relies on the mandates in force (a role's holder) too.
    expect(() => projection.assertFresh()).toThrow(AuthorityStaleError);
  });

  it('assertFresh: not before the load, then only within the bound', async () => {
    const unloaded = new AuthorityProjection(new InMemoryAuthorityStore());
    expect(() => unloaded.assertFresh()).toThrow(AuthorityProjectionNotReadyError);
    await unloaded.load();
    // Fed directly (no consumer measures it): fresh.
    expect(() => unloaded.assertFresh()).not.toThrow();

    const { projection, consumer, answerWith } = await setUp();
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(10);
    expect(() => projection.assertFresh()).not.toThrow();
    answerWith(() => Promise.reject(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092')));
    await jest.advanceTimersByTimeAsync(1200);
    expect(() => projection.assertFresh()).toThrow(/behind the delegation event store, more than the 1000 ms .*ECONNREFUSED/);
    answerWith(async () => caughtUp);
    await jest.advanceTimersByTimeAsync(250);
    expect(() => projection.assertFresh()).not.toThrow();
    await consumer.stopRefresh();
  });

  it('is fresh while the probes find nothing left, and refuses grants past the bound once the brokers stop answering', async () => {
    const { projection, consumer, answerWith } = await setUp();
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(10);
    expect(consumer.freshness()).toMatchObject({ fresh: true, boundMs: 1000, reason: null });
    expect(projection.mayFresh(managerMay)).toMatchObject({ allowed: true, basis: 'formal-manager' });
    expect(() => consumer.assertFresh()).not.toThrow();

    await jest.advanceTimersByTimeAsync(3_600_000);
    // A probe interval, a report interval and the report's own 20 ms at most.
    expect(consumer.stalenessMs()).toBeLessThanOrEqual(250 + 100 + 20);

    answerWith(() => Promise.reject(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092')));
    await jest.advanceTimersByTimeAsync(1200);

    expect(consumer.stalenessMs()).toBeGreaterThan(1000);
    expect(() => projection.mayFresh(managerMay)).toThrow(/behind the delegation event store, more than the 1000 ms .*ECONNREFUSED/);
    expect(() => consumer.assertFresh()).toThrow(AuthorityStaleError);
    expect(projection.mayFresh(strangerMay)).toMatchObject({ allowed: false });
    expect(consumer.status().freshness).toMatchObject({ fresh: false, reason: expect.stringMatching(/ECONNREFUSED/) });

    answerWith(async () => caughtUp);
    await jest.advanceTimersByTimeAsync(250);
    expect(projection.mayFresh(managerMay)).toMatchObject({ allowed: true });
    await consumer.stopRefresh();
  });

  it('reports the error with the staleness and the bound', async () => {
    const { projection, consumer, answerWith } = await setUp();
    answerWith(async () => ({ ...caughtUp, total: 12, partitions: [{ ...caughtUp.partitions[0]!, high: 19, lag: 12 }] }));
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(500);
    expect.assertions(3);
    try {
      projection.mayFresh(managerMay);
    } catch (error) {
      expect(error).toBeInstanceOf(AuthorityStaleError);
      expect(error).toMatchObject({ stalenessMs: Number.POSITIVE_INFINITY, boundMs: 1000 });
      expect((error as AuthorityStaleError).freshness.reason).toMatch(/12 messages on the delegation topics not applied yet/);
    }
    await consumer.stopRefresh();
  });

  it('does not ask the brokers while the consumer is out of its group, and is never fresh once it stopped', async () => {
    const { consumer, lag, setState } = await setUp();
    setState(status('reconnecting', 'KafkaJSConnectionError'));
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(2000);
    expect(lag).not.toHaveBeenCalled();
    expect(consumer.freshness()).toMatchObject({ fresh: false, reason: expect.stringMatching(/consumer is reconnecting \(KafkaJSConnectionError\)/) });

    setState(status('running'));
    await jest.advanceTimersByTimeAsync(250);
    expect(consumer.freshness().fresh).toBe(true);
    setState(status('stopped'));
    expect(consumer.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
    await consumer.stopRefresh();
  });

  it('keeps one probe in flight while the brokers do not answer, growing stale meanwhile', async () => {
    const { consumer, lag, answerWith } = await setUp();
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(10);
    const calls = lag.mock.calls.length;
    let release!: (l: ConsumerLag) => void;
    answerWith(() => new Promise<ConsumerLag>((resolve) => (release = resolve)));
    await jest.advanceTimersByTimeAsync(5000);
    expect(lag.mock.calls.length).toBe(calls + 1);
    expect(consumer.freshness()).toMatchObject({ fresh: false, reason: expect.stringMatching(/brokers have not answered the catch-up check for \d+ ms/) });

    release(caughtUp);
    answerWith(async () => caughtUp);
    await jest.advanceTimersByTimeAsync(300);
    expect(consumer.freshness().fresh).toBe(true);
    await consumer.stopRefresh();
  });

  it('refuses grants once the delegation relay stops reporting, though every probe finds the topics caught up', async () => {
    const { projection, consumer, relayStops, relayResumes } = await setUp();
    consumer.startRefresh();
    await jest.advanceTimersByTimeAsync(2000);
    expect(projection.mayFresh(managerMay)).toMatchObject({ allowed: true });

    relayStops();
    await jest.advanceTimersByTimeAsync(700);
    expect(projection.mayFresh(managerMay)).toMatchObject({ allowed: true });
    await jest.advanceTimersByTimeAsync(600);
    expect(() => projection.mayFresh(managerMay)).toThrow(/behind the delegation event store, more than the 1000 ms .*delegation relay has not reported progress for \d+ ms/);
    expect(projection.mayFresh(strangerMay)).toMatchObject({ allowed: false });
    expect(consumer.status()).toMatchObject({ state: 'running', freshness: { fresh: false } });

    relayResumes();
    await jest.advanceTimersByTimeAsync(400);
    expect(projection.mayFresh(managerMay)).toMatchObject({ allowed: true });
    await consumer.stopRefresh();
  });

  it('refuses a bound that is not positive', () => {
    const projection = new AuthorityProjection(new InMemoryAuthorityStore());
    expect(() => new AuthorityConsumer({ kafka: { brokers: ['127.0.0.1:1'] }, group: 'g', projection, freshnessBoundMs: 0, metrics: false })).toThrow(RangeError);
  });
});
