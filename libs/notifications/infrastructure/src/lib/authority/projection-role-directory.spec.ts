import { AuthorityProjection, InMemoryAuthorityStore, type AuthorityFreshness } from '@leadership/authority';
import { MandateChanged, type MandateSnapshot } from '@leadership/delegation-contracts';
import { readAggregate } from '@leadership/event-store';
import { MessageRenderer, NotificationBoard, NotificationDispatcher, RequestNotificationHandler, RolesNotFreshError, type MailMessage, type PersonContact } from '@leadership/notifications-application';
import { notificationDecider, notificationStreamName, type AttemptOutcome, type ExistingNotification } from '@leadership/notifications-domain';
import { ProblemException } from '@leadership/platform-nest';
import { openTestEventStore } from '@leadership/testing';
import { ProjectionRoleDirectory } from './projection-role-directory';

/*
 * Role resolution under the authority freshness rule, on a real AuthorityProjection whose freshness
 * the spec sets (as the AuthorityConsumer would measure it): nothing is resolved from a projection
 * past the bound — not at the request, not at send time — and the work waits for a fresh one.
 */
const ROLE = 'role:case-distribution@unit:unit-claims';
const example = MandateChanged.examples[0]!;
const holder = 'person-anna';
const manager = 'person-manager-1';
const fresh: AuthorityFreshness = { fresh: true, stalenessMs: 120, boundMs: 1000, caughtUpAt: '2026-03-02T09:59:59.880Z', reason: null };
const stale: AuthorityFreshness = { fresh: false, stalenessMs: 4200, boundMs: 1000, caughtUpAt: '2026-03-02T09:59:55.800Z', reason: 'consumer notifications.authority is reconnecting' };

function mandateChanged(version: number, change: Partial<MandateSnapshot> = {}) {
  return { ...example, version, mandate: { ...example.mandate, ...change } };
}

async function setUp() {
  let now = Date.parse('2026-03-02T10:00:00.000Z');
  let freshness = fresh;
  const projection = new AuthorityProjection(new InMemoryAuthorityStore(), { now: () => new Date(now) });
  projection.trackFreshness({ freshness: () => freshness });
  await projection.load();
  await projection.applyUnitChanged({ unitId: 'unit-claims', version: 0, name: 'Claims', parentId: null, managerIds: [manager], removedManagerIds: [], occurredAt: '2026-01-01T00:00:00.000Z' });
  await projection.applyMandateChanged(mandateChanged(2));
  const roles = new ProjectionRoleDirectory(projection, async () => 'Claims');
  return { projection, roles, setFresh: (f: AuthorityFreshness) => (freshness = f), advance: (ms: number) => (now += ms), now: () => new Date(now) };
}

/** The 503 problem it throws (fails the test when it throws nothing else). */
function refusal(run: () => unknown): ProblemException {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('nothing was refused');
}

describe('ProjectionRoleDirectory under the freshness rule', () => {
  it('resolves from a fresh projection, and refuses with the one 503 (Retry-After, how far behind, why) past the bound', async () => {
    const { roles, setFresh } = await setUp();
    expect(() => roles.assertFresh()).not.toThrow();
    expect(roles.roleFacts('case-distribution', 'unit-claims', '2026-03-02T10:00:00.000Z')).toMatchObject({
      mandates: [{ mandateId: example.mandateId, version: 2, holderId: holder, status: 'active' }],
      formalManagerIds: [manager],
    });

    setFresh(stale);
    const refused = refusal(() => roles.assertFresh());
    expect(refused.problem).toMatchObject({ status: 503, stalenessMs: 4200, boundMs: 1000 });
    expect(refused.problem.detail).toMatch(/^Role addresses are resolved from the mandates in force, but this service's copy of the mandates is 4200 ms behind .*reconnecting/);
    expect(refused.headers).toEqual({ 'Retry-After': '1' });
    // The work's own question (the dispatcher's) waits with the port's error, which says why.
    expect(() => roles.roleFacts('case-distribution', 'unit-claims', '2026-03-02T10:00:00.000Z')).toThrow(RolesNotFreshError);
    expect(() => roles.roleFacts('case-distribution', 'unit-claims', '2026-03-02T10:00:00.000Z')).toThrow(/^Role addresses wait for fresh mandates: .*4200 ms.*reconnecting/);
  });

  it('refuses before the projection is loaded', () => {
    const roles = new ProjectionRoleDirectory(new AuthorityProjection(new InMemoryAuthorityStore()), async () => undefined);
    expect(refusal(() => roles.assertFresh()).problem).toMatchObject({ status: 503 });
    expect(() => roles.roleFacts('case-distribution', 'unit-claims', '2026-03-02T10:00:00.000Z')).toThrow(RolesNotFreshError);
  });

  describe('the dispatcher over it (real SQLite store, fake SMTP)', () => {
    async function dispatching() {
      const authority = await setUp();
      const store = openTestEventStore();
      const people: Record<string, PersonContact> = {
        [holder]: { personId: holder, email: 'anna@example.test', displayName: 'Anna', locale: 'en-GB' },
        [manager]: { personId: manager, email: 'manager@example.test', displayName: 'Maja', locale: 'en-GB' },
      };
      const directory = { person: async (id: string) => people[id] };
      const mails: MailMessage[] = [];
      const outcomes: AttemptOutcome[] = [];
      const logged: string[] = [];
      const deps = {
        people: directory,
        roles: authority.roles,
        mail: {
          send: async (message: MailMessage): Promise<AttemptOutcome> => {
            const outcome = outcomes.shift() ?? { kind: 'delivered', responseCode: 250 };
            if (outcome.kind === 'delivered') mails.push(message);
            return outcome;
          },
        },
        webhooks: { deliver: async (): Promise<AttemptOutcome> => ({ kind: 'delivered', responseCode: 204 }) },
        renderer: new MessageRenderer(directory, authority.roles, 'https://app.example'),
      };
      const dispatcher = new NotificationDispatcher(store, new NotificationBoard(store), deps, authority.now, {
        defaultTimeZone: 'UTC',
        retryPolicies: { email: { maxAttempts: 5, baseDelayMs: 1_000, factor: 2, maxDelayMs: 10_000, jitter: 0 } },
        logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) },
      });
      // As a consumed event's workflow makes it: no check at the request, the dispatcher resolves it.
      const requests = new RequestNotificationHandler(store, authority.now, { people: { knows: async () => true }, roles: { assertFresh: () => undefined } });
      const notify = (notificationId: string) =>
        requests.execute({ notificationId, source: { type: 'api', id: notificationId }, to: [ROLE], category: 'cases', content: { subject: 'Queue needs help', body: 'Body' }, data: {}, critical: false }, { actorId: 'system:crm' });
      const notification = async (id: string) => (await readAggregate(store, notificationDecider, notificationStreamName(id))).state as ExistingNotification;
      const emails = async (id: string) => (await notification(id)).deliveries.filter((d) => d.channel === 'email').map((d) => [d.recipientId, d.status, d.basis]);
      return { ...authority, store, dispatcher, mails, outcomes, logged, notify, notification, emails };
    }

    it('leaves a role notification unresolved while the projection is stale, and resolves and sends it once it is fresh', async () => {
      const h = await dispatching();
      await h.notify('n-1');
      h.setFresh(stale);
      await h.dispatcher.pass();
      await h.dispatcher.pass();
      expect(await h.notification('n-1')).toMatchObject({ status: 'requested', recipients: [], deliveries: [] });
      expect(h.mails).toEqual([]);
      // Said once for both passes (and every other item waiting), not per item and pass.
      expect(h.logged).toHaveLength(1);
      expect(h.logged[0]).toMatch(/^1 role-addressed item\(s\) left for a later pass: Role addresses wait for fresh mandates: .*4200 ms/);

      h.setFresh(fresh);
      await h.dispatcher.pass();
      expect((await h.notification('n-1')).recipients).toEqual([{ personId: holder, address: ROLE, basis: 'mandate', mandateId: example.mandateId, mandateVersion: 2 }]);
      expect(h.mails.map((m) => m.to)).toEqual(['anna@example.test']);
      h.store.close();
    });

    it('does not send a retry to the last known holder while stale (a revocation may be missing); once fresh it follows the mandate', async () => {
      const h = await dispatching();
      h.outcomes.push({ kind: 'failed', retryable: true, responseCode: 421, error: 'try again later' });
      await h.notify('n-2');
      await h.dispatcher.pass();
      expect(await h.emails('n-2')).toEqual([[holder, 'retrying', 'mandate']]);

      // The mandate is revoked while this service's consumer cannot keep up: it still holds version 2.
      h.setFresh(stale);
      h.advance(5_000);
      await h.dispatcher.pass();
      await h.dispatcher.pass();
      expect(h.mails).toEqual([]);
      expect(await h.emails('n-2')).toEqual([[holder, 'retrying', 'mandate']]);

      await h.projection.applyMandateChanged(mandateChanged(3, { status: 'ended', endedAt: '2026-03-02T10:00:01.000Z', endReason: 'revoked' }));
      h.setFresh(fresh);
      await h.dispatcher.pass();
      await h.dispatcher.pass();
      expect(await h.emails('n-2')).toEqual([
        [holder, 'withdrawn', 'mandate'],
        [manager, 'delivered', 'formal-manager'],
      ]);
      expect(h.mails.map((m) => m.to)).toEqual(['manager@example.test']);
      h.store.close();
    });
  });
});
