import { handleCommand } from '@leadership/event-store';
import { caseStreamName, CaseAlreadyExistsError, queueDecider, QueueNotFoundError, queueStreamName, type QueueCommand } from '@leadership/case-distribution-domain';
import { openTestEventStore } from '@leadership/testing';
import { RegisterCaseHandler } from './register-case.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 };
const defineQueue: QueueCommand = {
  type: 'DefineQueue',
  data: {
    queueId: 'general',
    at: NOW.toISOString(),
    stamp: { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' },
    config: {
      unitId: 'unit-claims',
      name: 'General',
      routing: { mode: 'most-available', pushTimeoutSeconds: 60, skillRelaxationSeconds: 600 },
      sla: { P1: targets, P2: targets, P3: targets, P4: targets },
      channelWeights: { email: 2, chat: 1 },
      overflowQueueId: null,
    },
  },
};
const input = (caseId: string, title = 'First') => ({ caseId, queueId: 'general', title, priority: 'P3' as const, channel: 'email' });

describe('RegisterCaseHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new RegisterCaseHandler(store, () => NOW);
  beforeAll(async () => {
    await handleCommand(store, queueStreamName('general'), queueDecider, defineQueue);
  });
  afterAll(() => store.close());

  it('appends CaseRegistered in the queue\'s unit with the metadata of the command context', async () => {
    const result = await handler.execute(input('a-1'), { actorId: 'person-ana', correlationId: 'corr-1' });
    expect(result).toMatchObject({
      caseId: 'a-1',
      version: 0,
      case: { status: 'queued', caseId: 'a-1', queueId: 'general', unitId: 'unit-claims', title: 'First', receivedAt: NOW.toISOString(), registeredBy: 'person-ana' },
      events: ['CaseRegistered'],
    });
    const stored = await store.readStream(caseStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['CaseRegistered', 'person-ana', 'corr-1']]);
  });

  it('appends nothing when a request with the same idempotency key is retried', async () => {
    const context = { actorId: 'person-ana', idempotencyKey: 'key-1' };
    await handler.execute(input('a-2', 'Second'), context);
    const retry = await handler.execute(input('a-2', 'Second'), context);
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(caseStreamName('a-2'))).toHaveLength(1);
  });

  it('refuses the id for another title and appends nothing', async () => {
    await handler.execute(input('a-3', 'Third'), { actorId: 'person-ana' });
    await expect(handler.execute(input('a-3', 'Other'), { actorId: 'person-ana' })).rejects.toThrow(CaseAlreadyExistsError);
    expect(await store.readStream(caseStreamName('a-3'))).toHaveLength(1);
  });

  it('refuses a queue that does not exist', async () => {
    await expect(handler.execute({ ...input('a-4'), queueId: 'nowhere' }, { actorId: 'person-ana' })).rejects.toThrow(QueueNotFoundError);
  });
});
