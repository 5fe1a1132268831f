import { handleCommand, readAggregate } from '@leadership/event-store';
import {
  digestIdFor,
  digestStreamName,
  digestDecider,
  notificationDecider,
  notificationStreamName,
  preferencesDecider,
  preferencesStreamName,
  type AttemptOutcome,
  type ExistingNotification,
  type RoleFacts,
  type RoleMandate,
} from '@leadership/notifications-domain';
import { openTestEventStore } from '@leadership/testing';
import type { MailMessage, PersonContact, RoleDirectory, WebhookRequest } from '../ports/notification.ports';
import { RequestNotificationHandler } from '../notification/request-notification/request-notification.handler';
import { MessageRenderer } from './message-renderer';
import { NotificationBoard } from './notification-board';
import { NotificationDispatcher } from './notification-dispatcher';

const ROLE = 'role:case-distribution@unit:support';
const people: Record<string, PersonContact> = {
  ben: { personId: 'ben', email: 'ben@example.test', displayName: 'Ben Berg', locale: 'sv-SE' },
  cleo: { personId: 'cleo', email: 'cleo@example.test', displayName: 'Cleo', locale: 'en-GB' },
  ana: { personId: 'ana', email: 'ana@example.test', displayName: 'Ana', locale: 'en-GB' },
};

/** The dispatcher on a real SQLite store, with a clock, directory, roles, SMTP and webhooks the spec controls. */
function harness() {
  const store = openTestEventStore();
  let now = Date.parse('2026-03-02T08:00:00.000Z');
  let mandate: RoleMandate = { mandateId: 'm-1', version: 3, holderId: 'ben', deputyId: 'cleo', status: 'active' };
  const mails: MailMessage[] = [];
  const mailOutcomes: (AttemptOutcome | Error)[] = [];
  const roles: RoleDirectory = {
    roleFacts: (taskType, unitId): RoleFacts => ({ taskType, unitId, mandates: [mandate], absentPersonIds: [], formalManagerIds: ['ana'] }),
    unitName: async (unitId) => (unitId === 'support' ? 'Support' : unitId),
    mandateScope: () => undefined,
  };
  const directory = { person: async (id: string) => people[id] };
  const deps = {
    people: directory,
    roles,
    mail: {
      send: async (message: MailMessage): Promise<AttemptOutcome> => {
        const outcome = mailOutcomes.shift() ?? { kind: 'delivered', responseCode: 250 };
        if (outcome instanceof Error) throw outcome;
        if (outcome.kind === 'delivered') mails.push(message);
        return outcome;
      },
    },
    webhooks: { deliver: async (_request: WebhookRequest): Promise<AttemptOutcome> => ({ kind: 'delivered', responseCode: 204 }) },
    renderer: new MessageRenderer(directory, roles, 'https://app.example'),
  };
  /** A dispatcher over a board built from the store (a second one is a restart). */
  const newDispatcher = () =>
    new NotificationDispatcher(store, new NotificationBoard(store), deps, () => new Date(now), {
      defaultTimeZone: 'UTC',
      retryPolicies: { email: { maxAttempts: 3, baseDelayMs: 1_000, factor: 2, maxDelayMs: 10_000, jitter: 0 } },
    });
  const dispatcher = newDispatcher();
  // Requests as consumed events make them: recipients are the dispatcher's to resolve (the REST trigger's checks have their own spec).
  const request = new RequestNotificationHandler(store, () => new Date(now), { people: { knows: async () => true }, roles: { assertFresh: () => undefined } });
  const notify = (notificationId: string, to: string | readonly string[], subject = 'Queue {{queueId}} needs help', category = 'cases') =>
    request.execute({ notificationId, source: { type: 'api', id: notificationId }, to: typeof to === 'string' ? [to] : [...to], category, content: { subject, body: 'Body' }, data: { queueId: 'general' }, critical: false }, { actorId: 'system:crm' });
  const notification = async (id: string) => (await readAggregate(store, notificationDecider, notificationStreamName(id))).state as ExistingNotification;
  return {
    store,
    dispatcher,
    newDispatcher,
    mails,
    mailOutcomes,
    notify,
    notification,
    advance: (ms: number) => (now += ms),
    nowIso: () => new Date(now).toISOString(),
    setMandate: (change: Partial<RoleMandate>) => (mandate = { ...mandate, ...change }),
  };
}

describe('NotificationDispatcher (real SQLite store, fake channels)', () => {
  it('resolves a role address to the holder with the mandate as basis, renders in the locale and sends once', async () => {
    const h = harness();
    await h.notify('n-1', ROLE);
    await h.dispatcher.pass();
    const n = await h.notification('n-1');
    expect(n.recipients).toEqual([{ personId: 'ben', address: ROLE, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3 }]);
    expect(n.deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['in-app', 'delivered'],
      ['email', 'delivered'],
    ]);
    expect(h.mails).toEqual([expect.objectContaining({ to: 'ben@example.test', subject: 'Queue general needs help' })]);
    await h.dispatcher.pass();
    expect(h.mails).toHaveLength(1);
    h.store.close();
  });

  it('redirects a held delivery when the role no longer reaches its recipient (suspended: the deputy)', async () => {
    const h = harness();
    await h.notify('n-2', ROLE);
    await h.dispatcher.resolveNow('n-2');
    h.setMandate({ status: 'suspended' });
    await h.dispatcher.pass();
    const n = await h.notification('n-2');
    expect(n.deliveries.filter((d) => d.channel === 'email').map((d) => [d.recipientId, d.status, d.basis])).toEqual([
      ['ben', 'withdrawn', 'mandate'],
      ['cleo', 'scheduled', 'deputy'],
    ]);
    await h.dispatcher.pass();
    expect(h.mails.map((m) => m.to)).toEqual(['cleo@example.test']);
    h.store.close();
  });

  it('resolves and sends a notification in one pass, and records its e-mails in one append; a send that throws waits for the next pass', async () => {
    const h = harness();
    await h.notify('n-6', ['ana', 'cleo', 'ben']);
    h.mailOutcomes.push({ kind: 'delivered', responseCode: 250 }, new Error('renderer broke'), { kind: 'delivered', responseCode: 250 });
    const appends = jest.spyOn(h.store, 'appendToStream');
    const outcome = await h.dispatcher.pass();
    expect(outcome).toMatchObject({ resolved: 1, attempted: 2 });
    // The resolution, then one append with both attempts.
    expect(appends.mock.calls.map(([, events]) => events.map((e) => e.type))).toEqual([['RecipientsResolved'], ['DeliverySucceeded', 'DeliverySucceeded']]);
    const emails = async () => (await h.notification('n-6')).deliveries.filter((d) => d.channel === 'email').map((d) => d.status);
    expect(await emails()).toEqual(['delivered', 'scheduled', 'delivered']);
    await h.dispatcher.pass();
    expect(await emails()).toEqual(['delivered', 'delivered', 'delivered']);
    expect(h.mails.map((m) => m.to).sort()).toEqual(['ana@example.test', 'ben@example.test', 'cleo@example.test']);
    h.store.close();
  });

  it('retries a retryable SMTP failure after the back-off, and dead-letters after the last attempt', async () => {
    const h = harness();
    const down: AttemptOutcome = { kind: 'failed', retryable: true, responseCode: null, error: 'ECONNREFUSED' };
    h.mailOutcomes.push(down, down, down);
    await h.notify('n-3', 'ana');
    await h.dispatcher.pass();
    const email = async () => (await h.notification('n-3')).deliveries.find((d) => d.channel === 'email');
    expect(await email()).toMatchObject({ status: 'retrying', attempts: 1, notBefore: new Date(Date.parse(h.nowIso()) + 1_000).toISOString() });
    await h.dispatcher.pass();
    expect(await email()).toMatchObject({ attempts: 1 });
    h.advance(1_000);
    await h.dispatcher.pass();
    h.advance(2_000);
    await h.dispatcher.pass();
    expect(await email()).toMatchObject({ status: 'dead-lettered', attempts: 3, lastError: 'ECONNREFUSED' });
    expect(h.mails).toHaveLength(0);
    h.store.close();
  });

  it('collects an hourly digest and sends it once when the window closes, also with a new dispatcher in between', async () => {
    const h = harness();
    await handleCommand(h.store, preferencesStreamName('ana'), preferencesDecider, {
      type: 'SetPreferences',
      data: { personId: 'ana', actorId: 'ana', at: h.nowIso(), preferences: { timeZone: 'UTC', quietHours: null, channels: {}, digest: { reports: 'hourly' } } },
    });
    for (const n of [1, 2, 3]) await h.notify(`d-${n}`, 'ana', `Report ${n}`, 'reports');
    await h.dispatcher.pass();
    const digestId = digestIdFor('ana', 'reports', 'hourly/2026-03-02T08:00:00.000Z');
    expect((await readAggregate(h.store, digestDecider, digestStreamName(digestId))).state).toMatchObject({ status: 'open', items: [{}, {}, {}] });
    expect(h.mails).toHaveLength(0);

    // A restart after the window closed: a new dispatcher over a board rebuilt from the store.
    h.advance(3_600_000);
    const later = h.newDispatcher();
    await later.pass();
    await later.pass();
    await later.pass();
    expect(h.mails).toEqual([expect.objectContaining({ to: 'ana@example.test', subject: '3 notifications since your last summary' })]);
    expect(h.mails[0]?.text).toContain('- Report 1\n- Report 2\n- Report 3');
    for (const n of [1, 2, 3]) expect((await h.notification(`d-${n}`)).deliveries.find((d) => d.channel === 'email')).toMatchObject({ status: 'delivered', deliveredInDigestId: digestId });
    h.store.close();
  });

  it('re-checks a digested item at release: the role moved on, so it goes to the deputy and the holder gets no empty digest', async () => {
    const h = harness();
    await handleCommand(h.store, preferencesStreamName('ben'), preferencesDecider, {
      type: 'SetPreferences',
      data: { personId: 'ben', actorId: 'ben', at: h.nowIso(), preferences: { timeZone: 'UTC', quietHours: null, channels: {}, digest: { cases: 'hourly' } } },
    });
    await h.notify('r-1', ROLE);
    await h.dispatcher.pass();
    h.setMandate({ status: 'suspended' });
    h.advance(3_600_000);
    await h.dispatcher.pass();
    await h.dispatcher.pass();
    const digestId = digestIdFor('ben', 'cases', 'hourly/2026-03-02T08:00:00.000Z');
    expect((await readAggregate(h.store, digestDecider, digestStreamName(digestId))).state).toMatchObject({ status: 'released', released: [], withdrawn: ['r-1'] });
    expect((await h.notification('r-1')).deliveries.filter((d) => d.channel === 'email').map((d) => [d.recipientId, d.status])).toEqual([
      ['ben', 'withdrawn'],
      ['cleo', 'delivered'],
    ]);
    expect(h.mails.map((m) => m.to)).toEqual(['cleo@example.test']);
    h.store.close();
  });
});
