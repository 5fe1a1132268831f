import { Registry } from 'prom-client';
import { CLOUD_EVENT_HEADERS } from '@leadership/messaging-contracts';
import { mandateGranted, mandateRevoked } from '../../test/sample-contracts';
import { encodeCloudEvent } from '../shared/cloud-event.codec';
import { silentMessagingLogger } from '../shared/messaging-logger';
import type { DeadLetter, DeadLetterPublisher } from './dead-letter.publisher';
import { IntegrationEventProcessor, NonRetriableError, type DeliveredRecord, type IntegrationEventProcessorOptions, type ProcessControls } from './integration-event.processor';
import { InMemoryProcessedEventStore } from './processed-event.store';

type Contract = typeof mandateGranted | typeof mandateRevoked;

class RecordingDeadLetters implements DeadLetterPublisher {
  readonly parked: DeadLetter[] = [];
  failNext = 0;
  async park(letter: DeadLetter): Promise<void> {
    if (this.failNext-- > 0) throw new Error('dead-letter topic unreachable');
    this.parked.push(letter);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let offset = 0;
function record(id: string, data: unknown = { mandateId: 'm-1', delegateId: 'p-2', authorities: [] }): DeliveredRecord {
  const message = encodeCloudEvent(mandateGranted, { id, time: '2025-03-01T10:00:00Z', data: data as never });
  return { ...message, partition: 0, offset: String(offset++), key: message.key, value: Buffer.from(message.value), headers: message.headers };
}

const running: ProcessControls = { heartbeat: async () => undefined, shouldContinue: () => true };

describe('IntegrationEventProcessor', () => {
  let store: InMemoryProcessedEventStore;
  let deadLetters: RecordingDeadLetters;
  let handled: string[];
  let registry: Registry;

  function processor(options: Partial<IntegrationEventProcessorOptions<Contract>> = {}): IntegrationEventProcessor<Contract> {
    return new IntegrationEventProcessor<Contract>({
      group: 'notifications.mandates',
      contracts: [mandateGranted, mandateRevoked],
      dedupe: { by: 'event-id', store },
      deadLetters,
      handle: async (event) => {
        handled.push(event.id);
      },
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      infrastructureRetry: { initialDelayMs: 1, maxDelayMs: 5 },
      metrics: registry,
      logger: silentMessagingLogger,
      ...options,
    });
  }

  beforeEach(() => {
    store = new InMemoryProcessedEventStore();
    deadLetters = new RecordingDeadLetters();
    handled = [];
    registry = new Registry();
  });

  it('handles a valid event once and skips its redelivery', async () => {
    const p = processor();
    const message = record('e-1');
    await expect(p.process(message, running)).resolves.toBe('handled');
    await expect(p.process(message, running)).resolves.toBe('duplicate');
    expect(handled).toEqual(['e-1']);
    expect(await store.isProcessed('notifications.mandates', 'e-1')).toBe(true);
    expect(await registry.metrics()).toContain('leadership_consumer_messages_total{group="notifications.mandates",topic="leadership.delegation.mandates.v1",outcome="duplicate"} 1');
  });

  it('hands the handler the typed event and where it came from', async () => {
    const seen: unknown[] = [];
    const p = processor({
      handle: async (event, context) => {
        if (event.type === 'leadership.delegation.mandate-granted.v1') seen.push([event.data.delegateId, context.partition, context.attempt]);
      },
    });
    await p.process(record('e-1'), running);
    expect(seen).toEqual([['p-2', 0, 1]]);
  });

  it('parks an undecodable message at once, without calling the handler', async () => {
    const p = processor();
    const broken = { ...record('e-1'), value: Buffer.from('{"mandateId":') };
    await expect(p.process(broken, running)).resolves.toBe('dead-lettered');
    expect(handled).toEqual([]);
    expect(deadLetters.parked).toHaveLength(1);
    expect(deadLetters.parked[0]).toMatchObject({ reason: 'undecodable', attempts: 0, group: 'notifications.mandates', error: expect.stringMatching(/^invalid-json/) });
  });

  it('parks schema-invalid data as invalid-data', async () => {
    const p = processor();
    const invalid = { ...record('e-1'), value: Buffer.from(JSON.stringify({ mandateId: 'm-1' })) };
    await expect(p.process(invalid, running)).resolves.toBe('dead-lettered');
    expect(deadLetters.parked[0]).toMatchObject({ reason: 'invalid-data', error: expect.stringContaining('/delegateId') });
  });

  it('skips types it has no contract for, or parks them when told to', async () => {
    const other = record('e-1');
    const unknown = { ...other, headers: { ...other.headers, [CLOUD_EVENT_HEADERS.type]: 'leadership.delegation.mandate-amended.v1' } };
    await expect(processor().process(unknown, running)).resolves.toBe('skipped');
    await expect(processor({ unknownTypes: 'dead-letter' }).process(unknown, running)).resolves.toBe('dead-lettered');
    expect(deadLetters.parked[0]?.reason).toBe('undecodable');
  });

  it('retries a failing handler with back-off until it succeeds', async () => {
    let calls = 0;
    const p = processor({
      handle: async (_, context) => {
        calls++;
        if (context.attempt < 3) throw new Error('mongo not primary');
      },
    });
    await expect(p.process(record('e-1'), running)).resolves.toBe('handled');
    expect(calls).toBe(3);
    expect(await registry.metrics()).toContain('leadership_consumer_handler_retries_total{group="notifications.mandates",topic="leadership.delegation.mandates.v1"} 2');
  });

  it('parks after the last attempt, with the error, and does not record it as processed', async () => {
    const p = processor({
      maxAttempts: 3,
      handle: async () => {
        throw new Error('recipient unknown');
      },
    });
    await expect(p.process(record('e-1'), running)).resolves.toBe('dead-lettered');
    expect(deadLetters.parked[0]).toMatchObject({ reason: 'handler-failed', attempts: 3, error: 'Error: recipient unknown' });
    expect(await store.isProcessed('notifications.mandates', 'e-1')).toBe(false);
  });

  it('parks at once on a NonRetriableError', async () => {
    const p = processor({
      handle: async () => {
        throw new NonRetriableError('mandate unknown to this service');
      },
    });
    await expect(p.process(record('e-1'), running)).resolves.toBe('dead-lettered');
    expect(deadLetters.parked[0]?.attempts).toBe(1);
  });

  it('gives up without effect when the consumer stops during a retry wait', async () => {
    let stopping = false;
    const p = processor({
      retry: { initialDelayMs: 10_000, maxDelayMs: 10_000 },
      handle: async () => {
        stopping = true;
        throw new Error('transient');
      },
    });
    const started = Date.now();
    await expect(p.process(record('e-1'), { heartbeat: async () => undefined, shouldContinue: () => !stopping })).resolves.toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(deadLetters.parked).toEqual([]);
  });

  it('keeps retrying its own infrastructure instead of parking healthy messages', async () => {
    deadLetters.failNext = 3;
    const p = processor();
    const broken = { ...record('e-1'), value: null };
    await expect(p.process(broken, running)).resolves.toBe('dead-lettered');
    expect(deadLetters.parked).toHaveLength(1);
  });

  it('with aggregate-version dedupe, hands every delivery to the handler and records nothing', async () => {
    const p = processor({ dedupe: { by: 'aggregate-version' } });
    const message = record('e-1');
    await expect(p.process(message, running)).resolves.toBe('handled');
    await expect(p.process(message, running)).resolves.toBe('handled');
    expect(handled).toEqual(['e-1', 'e-1']);
    expect(await store.isProcessed('notifications.mandates', 'e-1')).toBe(false);
  });

  it('runs the handler given to process instead of the configured one', async () => {
    const p = processor();
    const own: string[] = [];
    await expect(
      p.process(record('e-own'), running, async (event) => {
        own.push(event.id);
      }),
    ).resolves.toBe('handled');
    expect({ own, handled }).toEqual({ own: ['e-own'], handled: [] });
  });

  it('refuses to process without any handler', async () => {
    const p = processor({ handle: undefined });
    await expect(p.process(record('e-1'), running)).rejects.toThrow(/no handler/);
  });

  it('records the event even if the consumer is stopping once the effect happened', async () => {
    let stopping = false;
    const flaky = new InMemoryProcessedEventStore();
    let failures = 2;
    const original = flaky.markProcessed.bind(flaky);
    flaky.markProcessed = async (...args) => {
      if (failures-- > 0) throw new Error('store down');
      return original(...args);
    };
    const p = processor({
      dedupe: { by: 'event-id', store: flaky },
      handle: async () => {
        stopping = true;
      },
    });
    await expect(p.process(record('e-1'), { heartbeat: async () => undefined, shouldContinue: () => !stopping })).resolves.toBe('handled');
    expect(await flaky.isProcessed('notifications.mandates', 'e-1')).toBe(true);
  });
});
