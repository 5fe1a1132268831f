import type { EventStore } from '@leadership/event-store';
import { readAggregate } from '@leadership/event-store';
import { OverflowQueueUnknownError, queueDecider, queueStreamName, QueueUnitFixedError } from '@leadership/case-distribution-domain';
import { MissingAuthorityError } from '../../authority/case-authority.port';
import { openTestEventStore } from '@leadership/testing';
import { ANA, BEN, GrantingAuthority, QUEUE, queueConfig } from '../../../spec/case-world.fixture';
import { ConfigureQueueHandler } from './configure-queue.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('ConfigureQueueHandler (real SQLite event store)', () => {
  let store: EventStore;
  let handler: ConfigureQueueHandler;
  let authority: GrantingAuthority;
  const revision = async (queueId: string) => (await readAggregate(store, queueDecider, queueStreamName(queueId))).revision;

  beforeEach(async () => {
    store = openTestEventStore();
    authority = new GrantingAuthority();
    handler = new ConfigureQueueHandler(store, authority, () => NOW);
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

  it("overflows into another unit's queue only for a caller who may prioritise there too", async () => {
    await handler.put('finance-desk', queueConfig({ unitId: 'finance', name: 'Finance desk' }), { actorId: ANA });
    // Ben prioritises the queues of this unit only.
    authority.mandates.set(BEN, { mandateId: 'm-ben', version: 2, authorities: ['cases.prioritise'], rules: [], unitId: queueConfig().unitId });
    await expect(handler.put(QUEUE, queueConfig({ overflowQueueId: 'finance-desk' }), { actorId: BEN })).rejects.toThrow(MissingAuthorityError);
    expect(await revision(QUEUE)).toBe(0);
    // Within the unit he may; Ana, who manages both, may send work across.
    await handler.put('second-line', queueConfig({ name: 'Second line' }), { actorId: ANA });
    expect(await handler.put(QUEUE, queueConfig({ overflowQueueId: 'second-line' }), { actorId: BEN })).toMatchObject({ version: 1 });
    expect(await handler.put(QUEUE, queueConfig({ overflowQueueId: 'finance-desk' }), { actorId: ANA })).toMatchObject({ version: 2, queue: { config: { overflowQueueId: 'finance-desk' } } });
  });
});
