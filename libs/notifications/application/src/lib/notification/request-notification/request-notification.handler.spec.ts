import { notificationStreamName, NotificationAlreadyExistsError } from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import { DirectoryUnavailableError } from '../../ports/notification.ports';
import { RequestNotificationHandler, UnknownRecipientError, type RecipientChecks, type RequestNotificationInput } from './request-notification.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

const input = (notificationId: string, subject = 'Queue full'): RequestNotificationInput => ({
  notificationId,
  source: { type: 'api', id: notificationId },
  to: ['role:case-distribution@unit:support'],
  category: 'cases',
  content: { subject, body: 'Queue {{queueId}} needs help.' },
  data: { queueId: 'general' },
  critical: false,
});

/** The mandates as the service holds them: fresh, or past the bound (then role addresses are refused). */
class RolesStale extends Error {}
let rolesFresh = true;
/** The directory: who it knows; `down` when it cannot be asked. */
const directory = new Set(['ben', 'dan']);
let directoryDown = false;
const asked: string[] = [];
const checks: RecipientChecks = {
  people: {
    knows: async (personId) => {
      asked.push(personId);
      if (directoryDown) throw new DirectoryUnavailableError(personId, 'connect ECONNREFUSED');
      return directory.has(personId);
    },
  },
  roles: {
    assertFresh: () => {
      if (!rolesFresh) throw new RolesStale('the mandates are 4200 ms behind');
    },
  },
};

describe('RequestNotificationHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new RequestNotificationHandler(store, () => NOW, checks);
  afterAll(() => store.close());
  beforeEach(() => {
    rolesFresh = true;
    directoryDown = false;
    asked.length = 0;
  });
  const to = (notificationId: string, ...addresses: string[]): RequestNotificationInput => ({ ...input(notificationId), to: addresses });
  const streamOf = (notificationId: string) => store.readStream(notificationStreamName(notificationId));

  it('appends NotificationRequested with the metadata of the command context', async () => {
    const result = await handler.execute(input('a-1'), { actorId: 'system:hr', correlationId: 'corr-1' });
    expect(result).toMatchObject({
      notificationId: 'a-1',
      version: 0,
      notification: { status: 'requested', workflow: 'api', eventType: 'api.cases', requestedAt: NOW.toISOString(), requestedBy: 'system:hr', deliveries: [] },
      events: ['NotificationRequested'],
    });
    const stored = await store.readStream(notificationStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['NotificationRequested', 'system:hr', 'corr-1']]);
  });

  it('appends nothing when a request with the same idempotency key is retried', async () => {
    const context = { actorId: 'system:hr', idempotencyKey: 'key-1' };
    await handler.execute(input('a-2'), context);
    const retry = await handler.execute(input('a-2'), context);
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(notificationStreamName('a-2'))).toHaveLength(1);
  });

  it('refuses the id for other content and appends nothing', async () => {
    await handler.execute(input('a-3'), { actorId: 'system:hr' });
    await expect(handler.execute(input('a-3', 'Other'), { actorId: 'system:hr' })).rejects.toThrow(NotificationAlreadyExistsError);
    expect(await store.readStream(notificationStreamName('a-3'))).toHaveLength(1);
  });

  describe('recipients are checked before anything is appended', () => {
    it('accepts people the directory knows (each asked once) and roles while the mandates are fresh', async () => {
      const result = await handler.execute(to('c-1', 'ben', 'role:case-distribution@unit:support', 'ben', 'dan'), { actorId: 'system:hr' });
      expect(result).toMatchObject({ version: 0, events: ['NotificationRequested'] });
      expect(asked).toEqual(['ben', 'dan']);
    });

    it('refuses a person the directory does not know, naming them, and appends nothing', async () => {
      expect.assertions(3);
      await handler.execute(to('c-2', 'ben', 'ghost', 'casper'), { actorId: 'system:hr' }).catch((error: unknown) => {
        expect(error).toBeInstanceOf(UnknownRecipientError);
        expect(error).toMatchObject({ rule: 'notification.recipient-unknown', details: { personIds: ['ghost', 'casper'] }, message: expect.stringMatching(/knows no person ghost, casper/) });
      });
      expect(await streamOf('c-2')).toEqual([]);
    });

    it('does not guess while the directory cannot be asked: DirectoryUnavailableError, nothing appended', async () => {
      directoryDown = true;
      await expect(handler.execute(to('c-3', 'ben'), { actorId: 'system:hr' })).rejects.toThrow(DirectoryUnavailableError);
      expect(await streamOf('c-3')).toEqual([]);
      directoryDown = false;
      await expect(handler.execute(to('c-3', 'ben'), { actorId: 'system:hr' })).resolves.toMatchObject({ events: ['NotificationRequested'] });
    });

    it('refuses a role address while the mandates are not known fresh and appends nothing; people alone are accepted meanwhile', async () => {
      rolesFresh = false;
      await expect(handler.execute(to('c-4', 'ben', 'role:case-distribution@unit:support'), { actorId: 'system:hr' })).rejects.toThrow(RolesStale);
      expect(await streamOf('c-4')).toEqual([]);
      await expect(handler.execute(to('c-5', 'ben'), { actorId: 'system:hr' })).resolves.toMatchObject({ events: ['NotificationRequested'] });
      // The same request, retried once the mandates are fresh again, is the first one.
      rolesFresh = true;
      await expect(handler.execute(to('c-4', 'ben', 'role:case-distribution@unit:support'), { actorId: 'system:hr' })).resolves.toMatchObject({ version: 0, events: ['NotificationRequested'] });
    });

    it('refuses a malformed address before asking anyone', async () => {
      await expect(handler.execute(to('c-6', 'ben', 'role:nonsense'), { actorId: 'system:hr' })).rejects.toMatchObject({ rule: 'recipient.address-invalid' });
      expect(asked).toEqual([]);
      expect(await streamOf('c-6')).toEqual([]);
    });
  });
});
