import type { EventStore } from '@leadership/event-store';
import { readAggregate } from '@leadership/event-store';
import { OverflowQueueUnknownError, queueDecider, queueStreamName, QueueUnitFixedError } from '@leadership/case-distribution-domain';
import { openTestEventStore } from '@leadership/testing';
import { ANA, GrantingAuthority, QUEUE, queueConfig } from '../../../spec/case-world.fixture';
import { ConfigureQueueHandler } from './configure-queue.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('ConfigureQueueHandler (real SQLite event store)', () => {
  let store: EventStore;
  let handler: ConfigureQueueHandler;
  const revision = async (queueId: string) => (await readAggregate(store, queueDecider, queueStreamName(queueId))).revision;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ConfigureQueueHandler(store, new GrantingAuthority(), () => NOW);
    await handler.put(QUEUE, queueConfig(), { actorId: ANA });
  });
  afterEach(() => store.close());

  it('keeps a queue in its unit: a PUT naming another unit is refused and nothing is written', async () => {
    await expect(handler.put(QUEUE, queueConfig({ unitId: 'finance' }), { actorId: ANA })).rejects.toThrow(QueueUnitFixedError);
    expect(await revision(QUEUE)).toBe(0);
  });

  it('overflows only into a queue that exists, and accepts it once it is defined', async () => {
    await expect(handler.put(QUEUE, queueConfig({ overflowQueueId: 'second-line' }), { actorId: ANA })).rejects.toThrow(OverflowQueueUnknownError);
    await expect(handler.put('first-line', queueConfig({ overflowQueueId: 'second-line' }), { actorId: ANA })).rejects.toThrow(OverflowQueueUnknownError);
    expect(await revision(QUEUE)).toBe(0);
    expect(await revision('first-line')).toBe(-1);
    await handler.put('second-line', queueConfig({ name: 'Second line' }), { actorId: ANA });
    const changed = await handler.put(QUEUE, queueConfig({ overflowQueueId: 'second-line' }), { actorId: ANA });
    expect(changed).toMatchObject({ version: 1, events: ['QueueChanged'], queue: { config: { overflowQueueId: 'second-line' } } });
  });
});
