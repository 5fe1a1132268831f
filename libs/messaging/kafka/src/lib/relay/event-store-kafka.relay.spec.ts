import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { type NewEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { mandateGranted, mandateRevoked, type SampleDomainEvent } from '../../test/sample-contracts';
import type { OutgoingKafkaMessage } from '../shared/cloud-event.codec';
import { silentMessagingLogger } from '../shared/messaging-logger';
import { EventStoreKafkaRelay, type EventStoreKafkaRelayOptions } from './event-store-kafka.relay';
import { integrationEvent, IntegrationEventMappingError, mapDomainEvents } from './integration-event.mapper';
import type { IntegrationEventPublisher } from './integration-event.publisher';
import { InMemoryRelayCheckpointStore } from './relay-checkpoint.store';

/** Stands in for Kafka in these unit specs (the int specs use the real broker). */
class RecordingPublisher implements IntegrationEventPublisher {
  readonly batches: OutgoingKafkaMessage[][] = [];
  attempts = 0;
  resets = 0;
  failNext = 0;
  gate: Promise<void> | undefined;

  async publish(messages: readonly OutgoingKafkaMessage[]): Promise<void> {
    this.attempts++;
    await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('KafkaJSConnectionError: broker unavailable');
    }
    this.batches.push([...messages]);
  }

  async reset(): Promise<void> {
    this.resets++;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  get ids(): string[] {
    return this.batches.flat().map((m) => m.headers['ce_id'] ?? '');
  }
}

const mapper = mapDomainEvents<SampleDomainEvent>('mandate', {
  MandateAccepted: (e) => integrationEvent(mandateGranted, { mandateId: e.data.mandateId, delegateId: e.data.delegateId, authorities: [...e.data.authorities] }),
  MandateRevoked: (e) => integrationEvent(mandateRevoked, { mandateId: e.data.mandateId }),
});

function accepted(mandateId: string): NewEvent {
  return { type: 'MandateAccepted', data: { mandateId, delegateId: 'p-1', authorities: ['assign-cases'] }, metadata: { eventId: randomUUID() } };
}

async function appendMany(store: SqliteEventStore, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const event = accepted(`m${i}`);
    ids.push(event.metadata.eventId);
    await store.appendToStream(`mandate-m${i}`, [event]);
  }
  return ids;
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('EventStoreKafkaRelay', () => {
  let store: SqliteEventStore;
  let publisher: RecordingPublisher;
  let checkpoints: InMemoryRelayCheckpointStore;
  const relays: EventStoreKafkaRelay[] = [];

  function relay(options: Partial<EventStoreKafkaRelayOptions> = {}): EventStoreKafkaRelay {
    const created = new EventStoreKafkaRelay({
      name: 'mandates',
      eventStore: store,
      checkpoints,
      mapper,
      publisher,
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      metrics: false,
      logger: silentMessagingLogger,
      ...options,
    });
    relays.push(created);
    return created;
  }

  beforeEach(() => {
    store = new SqliteEventStore(':memory:', { pollIntervalMs: 10 });
    publisher = new RecordingPublisher();
    checkpoints = new InMemoryRelayCheckpointStore();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await store.close();
  });

  it('publishes a backlog in order, in full batches, and checkpoints the last position', async () => {
    const ids = await appendMany(store, 1200);
    const head = await store.headPosition();
    const r = relay({ maxBatchSize: 500 });
    await r.start();
    await until(() => r.status().checkpoint === head, 'checkpoint at head');
    expect(publisher.ids).toEqual(ids);
    expect(publisher.batches.map((b) => b.length)).toEqual([500, 500, 200]);
    expect(await checkpoints.load('mandates')).toBe(head);
    expect(await r.lag()).toBe(0n);
  });

  it('sends a new event at once when caught up', async () => {
    const r = relay();
    await r.start();
    await until(() => r.status().caughtUp, 'caught up');
    const started = Date.now();
    await appendMany(store, 1);
    await until(() => publisher.batches.length === 1, 'first batch');
    expect(Date.now() - started).toBeLessThan(500);
    expect(publisher.batches[0]).toHaveLength(1);
  });

  it('writes the checkpoint only after the broker acknowledged the batch', async () => {
    let acknowledge!: () => void;
    publisher.gate = new Promise<void>((resolve) => (acknowledge = resolve));
    await appendMany(store, 3);
    const r = relay();
    await r.start();
    await until(() => publisher.attempts === 1, 'a send in flight');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await checkpoints.load('mandates')).toBeUndefined();
    acknowledge();
    await until(() => r.status().checkpoint === 3n, 'checkpoint after ack');
    expect(await checkpoints.load('mandates')).toBe(3n);
  });

  it('retries the same batch after a failure, with a fresh producer, without advancing meanwhile', async () => {
    publisher.failNext = 3;
    const ids = await appendMany(store, 10);
    const seen: bigint[] = [];
    const r = relay({ onCheckpoint: (p) => seen.push(p) });
    await r.start();
    await until(() => r.status().checkpoint === 10n, 'published after retries');
    expect(publisher.attempts).toBe(4);
    expect(publisher.resets).toBe(3);
    expect(publisher.ids).toEqual(ids);
    expect(seen).toEqual([10n]);
    expect(r.status()).toMatchObject({ state: 'running', publishedEvents: 10, lastError: expect.stringContaining('broker unavailable') });
  });

  it('reports retrying while the broker is down and resumes from the checkpoint after a restart', async () => {
    await appendMany(store, 5);
    const first = relay({ drainTimeoutMs: 50 });
    await first.start();
    await until(() => first.status().checkpoint === 5n, 'first five');
    publisher.failNext = Number.MAX_SAFE_INTEGER;
    const later = await appendMany(store, 5, 5);
    await until(() => first.status().state === 'retrying', 'retrying');
    expect(first.status().checkpoint).toBe(5n);
    await first.stop();
    expect(first.status().state).toBe('stopped');

    publisher.failNext = 0;
    const before = publisher.batches.length;
    const second = relay();
    await second.start();
    await until(() => second.status().checkpoint === 10n, 'the rest after restart');
    expect(publisher.batches.slice(before).flat().map((m) => m.headers['ce_id'])).toEqual(later);
  });

  it('advances the checkpoint over events that map to nothing', async () => {
    await store.appendToStream('mandate-m1', [{ type: 'MandateNoteAdded', data: { mandateId: 'm1', note: 'n' }, metadata: { eventId: randomUUID() } }]);
    await store.appendToStream('casequeue-q1', [{ type: 'QueueOpened', data: {}, metadata: { eventId: randomUUID() } }]);
    const r = relay();
    await r.start();
    await until(() => r.status().checkpoint === 2n, 'checkpoint over unmapped events');
    expect(publisher.attempts).toBe(0);
  });

  it('stops at a mapper defect: publishes what came before, never skips the bad event', async () => {
    await appendMany(store, 3);
    await store.appendToStream('mandate-bad', [{ type: 'MandateAccepted', data: { mandateId: '' , delegateId: 'p', authorities: [] }, metadata: { eventId: randomUUID() } }]);
    await appendMany(store, 2, 10);
    const r = relay();
    await r.start();
    await expect(r.done).rejects.toThrow(IntegrationEventMappingError);
    expect(r.status()).toMatchObject({ state: 'failed', checkpoint: 3n });
    expect(publisher.batches.flat()).toHaveLength(3);
    expect(await checkpoints.load('mandates')).toBe(3n);
  });

  it('stops within the drain timeout while the broker is down, leaving the checkpoint where it was', async () => {
    publisher.failNext = Number.MAX_SAFE_INTEGER;
    await appendMany(store, 3);
    const r = relay({ drainTimeoutMs: 100 });
    await r.start();
    await until(() => publisher.attempts >= 2, 'failing sends');
    const started = Date.now();
    await r.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await checkpoints.load('mandates')).toBeUndefined();
    await expect(r.done).resolves.toBeUndefined();
  });

  it('drains what it read when stopped normally', async () => {
    let acknowledge!: () => void;
    publisher.gate = new Promise<void>((resolve) => (acknowledge = resolve));
    await appendMany(store, 10);
    const r = relay();
    await r.start();
    await until(() => publisher.attempts === 1, 'first batch in flight');
    await appendMany(store, 5, 10);
    await new Promise((resolve) => setTimeout(resolve, 50)); // read into the next batch meanwhile
    const stopped = r.stop();
    acknowledge();
    await stopped;
    expect(publisher.batches.map((b) => b.length)).toEqual([10, 5]);
    expect(await checkpoints.load('mandates')).toBe(15n);
  });

  it('exposes lag, published events and batch sizes as Prometheus metrics', async () => {
    const registry = new Registry();
    await appendMany(store, 20);
    const r = relay({ name: 'metrics-relay', metrics: registry, maxBatchSize: 8, drainTimeoutMs: 50 });
    publisher.gate = new Promise<void>(() => undefined); // never acknowledged: lag stays
    await r.start();
    expect(await registry.getSingleMetricAsString('leadership_relay_lag')).toContain('leadership_relay_lag{relay="metrics-relay"} 20');
    await r.stop();

    publisher.gate = undefined;
    const again = relay({ name: 'metrics-relay', metrics: registry, maxBatchSize: 8 });
    await again.start();
    await until(() => again.status().checkpoint === 20n, 'all published');
    const text = await registry.metrics();
    expect(text).toContain('leadership_relay_lag{relay="metrics-relay"} 0');
    expect(text).toContain('leadership_relay_events_published_total{relay="metrics-relay",topic="leadership.delegation.mandates.v1"} 20');
    expect(text).toContain('leadership_relay_batch_size_count{relay="metrics-relay"} 3');
    expect(text).toContain('leadership_relay_checkpoint_position{relay="metrics-relay"} 20');
  });

  describe('progress reports', () => {
    const PROGRESS_TOPIC = 'leadership.test.relay-progress.v1';
    let clockMs: number;
    /** Progress every 10 ms on a clock that moves 1 s per reading, so each report's moment is its own. */
    const progress: Partial<EventStoreKafkaRelayOptions> = {
      clock: () => new Date((clockMs += 1000)),
      progress: {
        everyMs: 10,
        message: (coveredUntil, position) => ({
          topic: PROGRESS_TOPIC,
          key: 'mandates',
          value: JSON.stringify({ coveredUntil: coveredUntil.toISOString(), position: position?.toString() ?? null }),
          headers: {},
        }),
      },
    };
    const reporting = (options: Partial<EventStoreKafkaRelayOptions> = {}) => relay({ ...progress, ...options });

    /** Every record sent, in order: data events by ce_id, progress reports by their data. */
    const sent = () => publisher.batches.flat().map((m) => (m.topic === PROGRESS_TOPIC ? (JSON.parse(m.value) as { coveredUntil: string; position: string | null }) : (m.headers['ce_id'] ?? '')));
    const reports = () => publisher.batches.flat().filter((m) => m.topic === PROGRESS_TOPIC).map((m) => JSON.parse(m.value) as { coveredUntil: string; position: string | null });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    beforeEach(() => {
      clockMs = Date.parse('2030-01-01T00:00:00.000Z');
    });

    it('reports a moment only after the batch covering the head at that moment was acknowledged, one tick at a time', async () => {
      let acknowledge!: () => void;
      publisher.gate = new Promise<void>((resolve) => (acknowledge = resolve));
      const ids = await appendMany(store, 3);
      const r = reporting();
      await r.start();
      await until(() => publisher.attempts === 1, 'the batch in flight');
      await pause(60); // many intervals: the first tick still waits for its cover, and no other starts
      expect(publisher.attempts).toBe(1);
      expect(r.status().progressCoveredUntil).toBeNull();

      publisher.gate = undefined;
      acknowledge();
      await until(() => reports().length >= 3, 'reports after the ack');
      const records = sent();
      // The batch, then the first tick's report: its moment is the first clock reading, taken before the ack.
      expect(records.slice(0, 4)).toEqual([...ids, { coveredUntil: '2030-01-01T00:00:01.000Z', position: '3' }]);
      const moments = reports().map((p) => Date.parse(p.coveredUntil));
      expect(moments).toEqual([...moments].sort((a, b) => a - b));
      expect(r.status().progressCoveredUntil).toEqual(expect.any(String));
    });

    it('vouches for events once the broker acknowledged them, without waiting for the checkpoint store', async () => {
      let saved!: () => void;
      const slow = new InMemoryRelayCheckpointStore();
      const save = slow.save.bind(slow);
      let gate: Promise<void> | undefined = new Promise<void>((resolve) => (saved = resolve));
      slow.save = async (name, position) => {
        await gate;
        return save(name, position);
      };
      checkpoints = slow;
      await appendMany(store, 2);
      const r = reporting();
      await r.start();
      await until(() => reports().some((p) => p.position === '2'), 'a report covering both events');
      expect(r.status().checkpoint).toBeUndefined(); // the checkpoint write still waits
      gate = undefined;
      saved();
      await until(() => r.status().checkpoint === 2n, 'the checkpoint written');
    });

    it('starts a tick every everyMs, not everyMs after a slow one ended', async () => {
      let acknowledge!: () => void;
      publisher.gate = new Promise<void>((resolve) => (acknowledge = resolve));
      await appendMany(store, 1);
      const r = reporting({ progress: { ...(progress.progress as NonNullable<EventStoreKafkaRelayOptions['progress']>), everyMs: 200 } });
      await r.start();
      await until(() => publisher.attempts === 1, 'the batch in flight');
      await pause(300); // the first tick waits for its cover well past its interval
      publisher.gate = undefined;
      acknowledge();
      const acknowledged = Date.now();
      // The first report, then the next one at once: it was due already, not another 200 ms later.
      await until(() => reports().length >= 2, 'two reports', 1000);
      expect(Date.now() - acknowledged).toBeLessThan(150);
    });

    it('sends nothing while a publish is being retried, and reports again once the batch is through', async () => {
      publisher.failNext = Number.MAX_SAFE_INTEGER;
      await appendMany(store, 2);
      const r = reporting();
      await r.start();
      await until(() => r.status().state === 'retrying', 'retrying');
      await pause(80);
      expect(reports()).toEqual([]);
      expect(r.status().progressCoveredUntil).toBeNull();

      publisher.failNext = 0;
      await until(() => reports().length > 0, 'a report after the retry succeeded');
      expect(sent()[2]).toMatchObject({ position: '2' });
    });

    it('sends nothing once a mapper defect stopped it, not even for the events before the defect', async () => {
      await appendMany(store, 3);
      await store.appendToStream('mandate-bad', [{ type: 'MandateAccepted', data: { mandateId: '', delegateId: 'p', authorities: [] }, metadata: { eventId: randomUUID() } }]);
      const r = reporting();
      await r.start();
      await expect(r.done).rejects.toThrow(IntegrationEventMappingError);
      await pause(60);
      expect(r.status()).toMatchObject({ state: 'failed', checkpoint: 3n, progressCoveredUntil: null });
      expect(reports()).toEqual([]);
    });

    it('reports while idle when the head is other streams\' events that its filter leaves out', async () => {
      await appendMany(store, 2);
      await store.appendToStream('casequeue-q1', [{ type: 'QueueOpened', data: {}, metadata: { eventId: randomUUID() } }]);
      await store.appendToStream('casequeue-q2', [{ type: 'QueueOpened', data: {}, metadata: { eventId: randomUUID() } }]);
      const r = reporting({ filter: { streamCategories: ['mandate'] } });
      await r.start();
      await until(() => reports().length >= 2, 'reports while idle');
      expect(r.status().checkpoint).toBe(2n); // never reaches the head, which is not its to publish
      expect(reports()[1]).toMatchObject({ position: '4' });
    });

    it('reports an empty store without a position, and stops reporting when stopped', async () => {
      const r = reporting();
      await r.start();
      await until(() => reports().length > 0, 'a report');
      expect(reports()[0]).toEqual({ coveredUntil: '2030-01-01T00:00:01.000Z', position: null });
      await r.stop();
      const count = reports().length;
      await pause(50);
      expect(reports()).toHaveLength(count);
    });

    it('exposes the moment of the latest report as a metric', async () => {
      const registry = new Registry();
      const r = reporting({ name: 'progress-relay', metrics: registry });
      await r.start();
      await until(() => reports().length > 0, 'a report');
      await until(() => r.status().progressCoveredUntil !== null, 'the report acknowledged');
      const covered = Date.parse(r.status().progressCoveredUntil ?? '') / 1000;
      expect(await registry.getSingleMetricAsString('leadership_relay_progress_covered_until_seconds')).toMatch(/leadership_relay_progress_covered_until_seconds\{relay="progress-relay"\} \d+/);
      expect(covered).toBeGreaterThan(Date.parse('2030-01-01T00:00:00.000Z') / 1000);
    });
  });
});
