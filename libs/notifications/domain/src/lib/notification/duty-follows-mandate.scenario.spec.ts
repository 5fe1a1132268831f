import { fold } from '@leadership/kernel';
import { at, NIGHTS, T0 } from '../../spec/notifications.fixtures';
import { defaultPreferences } from '../preferences/preferences';
import { parseRecipientAddress, type RoleAddress } from '../recipient/recipient-address';
import { resolveRoleAddress, stillAddressed, waitsOnMandate, type RoleFacts } from '../recipient/resolve-role-address';
import type { NotificationCommand, RecipientFacts } from './notification.commands';
import { notificationDecider } from './notification.decider';
import type { NotificationEvent } from './notification.events';
import type { ExistingNotification } from './notification.state';

/*
 * The stories of issue #10 that only the pieces together tell: a role-addressed notification goes
 * to whoever the role resolves to, the delivery records why, and what is still open when the
 * mandate ends goes to the successor. Also: concurrent triggers of one source event make one
 * notification with one inbox item per person (the "lost or doubled in-app messages" complaint).
 */

const ID = 'n-duty';
const ROLE_TEXT = 'role:case-distribution@unit:support';
const ROLE = parseRecipientAddress(ROLE_TEXT) as RoleAddress;
const facts = (status: 'active' | 'suspended' | 'ended'): RoleFacts => ({
  taskType: 'case-distribution',
  unitId: 'support',
  mandates: [{ mandateId: 'm-1', version: status === 'active' ? 3 : 4, holderId: 'person-ben', deputyId: 'person-cleo', status }],
  absentPersonIds: [],
  formalManagerIds: ['person-ana'],
});
const withLocale = (resolved: ReturnType<typeof resolveRoleAddress>): RecipientFacts[] => resolved.map((r) => ({ ...r, locale: 'sv-SE', preferences: NIGHTS }));

const request: NotificationCommand = {
  type: 'RequestNotification',
  data: {
    notificationId: ID,
    actorId: 'system:api',
    at: T0,
    source: { type: 'api', id: 'k' },
    workflow: 'api',
    eventType: 'api.cases',
    category: 'cases',
    critical: false,
    content: { subject: 'Backlog', body: 'Queue {{queueId}} is over its limit.' },
    data: { queueId: 'general' },
    to: [ROLE_TEXT],
    defaultChannels: { inApp: true, email: true },
  },
};

function run(events: NotificationEvent[], command: NotificationCommand): NotificationEvent[] {
  return [...events, ...notificationDecider.decide(command, fold(notificationDecider, events))];
}

const existing = (events: readonly NotificationEvent[]): ExistingNotification => {
  const state = fold(notificationDecider, events);
  if (state.status === 'none') throw new Error('no notification');
  return state;
};

describe('duty notifications follow the mandate', () => {
  it('goes to the holder, waits for quiet hours, and moves to the formal manager when the mandate is revoked before it is sent', () => {
    const late = at(14 * 60); // 23:00 in Stockholm: the e-mail waits until 07:00
    let events = run([], { ...request, data: { ...request.data, at: late } });
    events = run(events, { type: 'ResolveRecipients', data: { notificationId: ID, actorId: 'system:dispatcher', at: late, recipients: withLocale(resolveRoleAddress(ROLE, facts('active'))), webhookIds: [] } });
    const email = existing(events).deliveries.find((d) => d.channel === 'email');
    expect(email).toMatchObject({ recipientId: 'person-ben', basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, status: 'scheduled', notBefore: '2026-03-03T06:00:00.000Z' });
    if (!email) throw new Error('no e-mail');

    // The mandate is revoked at midnight: the delivery waits on it, and at 07:00 Ben is no longer addressed.
    expect(waitsOnMandate(email, 'm-1')).toBe(true);
    const now = facts('ended');
    expect(stillAddressed(email, now)).toBe(false);
    const successors = withLocale(resolveRoleAddress(ROLE, now));
    events = run(events, { type: 'RedirectDelivery', data: { notificationId: ID, actorId: 'system:dispatcher', at: '2026-03-03T06:00:00.000Z', deliveryId: email.deliveryId, successors } });

    const after = existing(events).deliveries.map((d) => [d.recipientId, d.channel, d.status, d.basis]);
    expect(after).toEqual([
      ['person-ben', 'in-app', 'delivered', 'mandate'],
      ['person-ben', 'email', 'withdrawn', 'mandate'],
      ['person-ana', 'in-app', 'delivered', 'formal-manager'],
      ['person-ana', 'email', 'scheduled', 'formal-manager'],
    ]);
  });

  it('goes to the deputy while the mandate is suspended, on the same mandate', () => {
    const events = run(run([], request), { type: 'ResolveRecipients', data: { notificationId: ID, actorId: 'system:dispatcher', at: T0, recipients: withLocale(resolveRoleAddress(ROLE, facts('suspended'))), webhookIds: [] } });
    expect(existing(events).recipients).toEqual([{ personId: 'person-cleo', address: ROLE_TEXT, basis: 'deputy', mandateId: 'm-1', mandateVersion: 4 }]);
  });
});

describe('concurrent triggers of one source event', () => {
  it('make one notification and one inbox item per person: the loser of each race finds the work done', () => {
    const ben: RecipientFacts = { personId: 'person-ben', address: ROLE_TEXT, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, locale: 'sv-SE', preferences: defaultPreferences('Europe/Stockholm') };
    const resolve: NotificationCommand = { type: 'ResolveRecipients', data: { notificationId: ID, actorId: 'w', at: T0, recipients: [ben], webhookIds: [] } };
    // Two consumers read the empty stream; one append wins, the other's is refused (409) and retried on the new state.
    const winner = run([], request);
    expect(notificationDecider.decide({ ...request, data: { ...request.data, at: at(1) } }, fold(notificationDecider, winner))).toEqual([]);
    const resolved = run(winner, resolve);
    expect(notificationDecider.decide(resolve, fold(notificationDecider, resolved))).toEqual([]);
    expect(existing(resolved).deliveries.filter((d) => d.channel === 'in-app')).toHaveLength(1);
  });
});
