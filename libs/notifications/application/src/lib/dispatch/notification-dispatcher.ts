import { handleCommand, type EventStore } from '@leadership/event-store';
import { DomainRuleError, metadataFor, type Decider, type DomainEvent } from '@leadership/kernel';
import {
  DEFAULT_RETRY_POLICY,
  defaultPreferences,
  DigestAlreadyReleasedError,
  digestDecider,
  digestIdFor,
  digestStreamName,
  matches,
  nextSendWindow,
  notificationDecider,
  notificationStreamName,
  parseRecipientAddress,
  resolveRoleAddress,
  signingSecrets,
  stillAddressed,
  webhookMessage,
  type AttemptOutcome,
  type DeliveryAttemptRecord,
  type DeliveryState,
  type DigestCommand,
  type DigestWindow,
  type ExistingDigest,
  type ExistingNotification,
  type NotificationCommand,
  type NotificationState,
  type RecipientFacts,
  type ResolvedRecipient,
  type RetryPolicy,
} from '@leadership/notifications-domain';
import { RolesNotFreshError, type MailSender, type PeopleDirectory, type RoleDirectory, type WebhookTransport } from '../ports/notification.ports';
import { sessionInvitationPart } from './session-invitation';
import type { MessageRenderer } from './message-renderer';
import type { NotificationBoard } from './notification-board';
import { inParallel, PassLoop, type PassLoopLogger } from './pass-loop';

/** The actor of everything the dispatcher decides. */
export const DISPATCHER_ACTOR = 'system:dispatcher';

export interface NotificationDispatcherOptions {
  /** Pause between passes when nothing nudges (send windows, back-off, digest windows) [500 ms]. */
  readonly intervalMs?: number;
  /** Zone of people who never set preferences. */
  readonly defaultTimeZone: string;
  /** Back-off per channel [DEFAULT_RETRY_POLICY]; recorded decisions keep the policy they were made with. */
  readonly retryPolicies?: { readonly email?: RetryPolicy; readonly webhook?: RetryPolicy };
  /** Notifications worked on at the same time (each from its resolution to its sends; a notification's sends side by side) [8]. */
  readonly concurrency?: number;
  readonly logger?: PassLoopLogger;
}

export interface NotificationDispatcherDeps {
  readonly people: PeopleDirectory;
  readonly roles: RoleDirectory;
  readonly mail: MailSender;
  readonly webhooks: WebhookTransport;
  readonly renderer: MessageRenderer;
}

/** What one pass did (tests, logs). */
export interface DispatchOutcome {
  resolved: number;
  attempted: number;
  redirected: number;
  digested: number;
  digestsReleased: number;
  digestsSent: number;
}

/** How often the dispatcher says that role-addressed work waits for fresh mandates. */
const ROLES_WAIT_LOG_MS = 30_000;

const isRole = (basis: string): boolean => basis === 'mandate' || basis === 'deputy' || basis === 'formal-manager';
const due = (notBefore: string | null, now: string): boolean => notBefore === null || Date.parse(notBefore) <= Date.parse(now);
const windowOf = (window: DigestWindow): DigestWindow => ({ cadence: window.cadence, key: window.key, closesAt: window.closesAt });

/**
 * The one writer of the notifications context's automatic decisions, like case distribution's
 * dispatcher: a pass catches the board up with everything committed, then
 * 1. resolves requested notifications: person ids directly, role addresses from the mandates in
 *    force now (holder; deputy while suspended or the holder is absent; else the formal managers),
 *    each recipient with their locale and preferences, plus the webhook subscriptions that match;
 * 2. works every due delivery: a delivery reached through a role is checked again (`stillAddressed`:
 *    duty notifications follow the mandate) and redirected to whoever the role resolves to now;
 *    e-mails are rendered in the recipient's locale and handed to SMTP, webhooks signed with every
 *    secret in force and posted; each attempt is recorded (the decider schedules the retry or the
 *    dead letter); e-mails waiting for a digest join their window's digest stream;
 * 3. releases digests whose window closed (once: the digest stream decides) and sends each as one
 *    e-mail, then records its items delivered.
 * Every step is an append to the stream it concerns, decided on that stream's current state, so a
 * pass interrupted anywhere (a crash, a restart mid-window) is completed by the next one from the
 * store. Sends are at least once: a crash between an SMTP 250 and its record sends that e-mail again
 * (under the same Message-ID / `webhook-id`, so receivers can tell).
 *
 * Steps 1 and 2 run per notification in one worker, `concurrency` notifications at a time: a
 * notification is resolved and its due deliveries are sent with the state the resolution returned
 * (it does not wait for the others' resolutions), side by side, and their attempts are recorded in
 * one append (RecordDeliveryAttempts). The workers' appends arrive together, so the event store
 * commits them together (the SQLite adapter's group commit: one fsync for many notifications).
 *
 * In-app items need no sending: they are delivered when planned, and the inbox read model writes and
 * announces them.
 */
export class NotificationDispatcher {
  private readonly loop: PassLoop;
  private rolesWaiting = 0;
  private rolesWaitLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly policies: { readonly email: RetryPolicy; readonly webhook: RetryPolicy };

  constructor(
    private readonly store: EventStore,
    private readonly board: NotificationBoard,
    private readonly deps: NotificationDispatcherDeps,
    private readonly now: () => Date,
    private readonly options: NotificationDispatcherOptions,
  ) {
    this.loop = new PassLoop(() => this.pass(), options.intervalMs ?? 500, options.logger);
    this.policies = { email: options.retryPolicies?.email ?? DEFAULT_RETRY_POLICY, webhook: options.retryPolicies?.webhook ?? DEFAULT_RETRY_POLICY };
  }

  async start(): Promise<void> {
    await this.board.catchUp();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Something was requested or changed: run a pass soon. */
  nudge(): void {
    this.loop.nudge();
  }

  status(): { running: boolean; passes: number; lastError: string | undefined; position: string | undefined } {
    return { ...this.loop.status(), position: this.board.position?.toString() };
  }

  /**
   * Resolves one notification now (`POST /notifications` answers whom it went to). Safe beside a
   * pass doing the same: resolution is decided on the stream's current state, and a second one is
   * a no-op. The deliveries are then worked by the next pass.
   */
  async resolveNow(notificationId: string): Promise<void> {
    await this.board.catchUp();
    const n = this.board.notification(notificationId);
    if (n?.status === 'requested') await this.resolve(n, this.now().toISOString());
    this.nudge();
  }

  /** One pass (exposed for tests). */
  async pass(): Promise<DispatchOutcome> {
    const outcome: DispatchOutcome = { resolved: 0, attempted: 0, redirected: 0, digested: 0, digestsReleased: 0, digestsSent: 0 };
    await this.board.catchUp();
    const now = this.now().toISOString();
    const open = [...this.board.openNotifications()];
    await inParallel(open, this.concurrency, (n) => this.work(n, now, outcome));

    await this.board.catchUp();
    const digests = [...this.board.digestList()];
    await inParallel(digests, this.concurrency, async (g) => void (await this.guarded(g.digestId, () => this.workDigest(g, now, outcome))));
    return outcome;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 8;
  }

  /** One item's failure is logged and retried next pass; it never stops the others. True when it did not fail. */
  private async guarded(what: string, work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      this.failed(what, error);
      return false;
    }
  }

  private failed(what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RolesNotFreshError) {
      // Every role-addressed item waits for the same reason: said once per ROLES_WAIT_LOG_MS, not per item and pass.
      this.rolesWaiting++;
      const at = Date.now();
      if (at - this.rolesWaitLoggedAt < ROLES_WAIT_LOG_MS) return;
      this.options.logger?.warn(`${this.rolesWaiting} role-addressed item(s) left for a later pass: ${message}`);
      this.rolesWaitLoggedAt = at;
      this.rolesWaiting = 0;
      return;
    }
    if (error instanceof DomainRuleError) this.options.logger?.warn(`${what}: refused (${error.rule}): ${message}`);
    else this.options.logger?.error(`${what}: ${message}`);
  }

  private async append<C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>, command: C): Promise<number> {
    return (await this.decide(stream, decider, command)).newEvents.length;
  }

  private decide<C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>, command: C) {
    return handleCommand(this.store, stream, decider, command, { metadata: metadataFor({ actorId: DISPATCHER_ACTOR }, stream) });
  }

  private notify(notificationId: string, command: NotificationCommand): Promise<number> {
    return this.append(notificationStreamName(notificationId), notificationDecider, command);
  }

  /**
   * One notification's work in a pass: its resolution if it is requested, then — on the state the
   * resolution returned — its deliveries: e-mails waiting for a digest join it; the due ones are
   * checked against the role (and redirected) and then sent side by side and recorded together.
   * The deliveries a redirect plans go out with the next pass.
   */
  private async work(n: ExistingNotification, now: string, outcome: DispatchOutcome): Promise<void> {
    let current: ExistingNotification = n;
    if (current.status === 'requested') {
      let after: NotificationState | undefined;
      const requested = current;
      const ok = await this.guarded(n.notificationId, async () => {
        const result = await this.resolve(requested, now);
        outcome.resolved += result.newEvents.length;
        after = result.newState;
      });
      if (!ok || after?.status !== 'resolved') return;
      current = after;
    }
    const sends: DeliveryState[] = [];
    for (const d of current.deliveries) {
      if (d.channel === 'in-app') continue;
      if (d.status === 'digest' && d.digest && !this.board.joinedDigest(d.deliveryId)) {
        const resolved = current;
        await this.guarded(d.deliveryId, async () => (outcome.digested += await this.joinDigest(resolved, d, d.digest ?? undefined, now)));
      } else if ((d.status === 'scheduled' || d.status === 'retrying') && due(d.notBefore, now)) {
        let redirected = false;
        const resolved = current;
        if (!(await this.guarded(d.deliveryId, async () => (redirected = await this.redirectIfNoLongerAddressed(resolved, d, now))))) continue;
        if (redirected) outcome.redirected++;
        else sends.push(d);
      }
    }
    if (sends.length > 0) await this.sendAndRecord(current, sends, now, outcome);
  }

  // ---------------------------------------------------------------------------------------------
  // Recipients

  /** Who an address reaches now. */
  private recipientsOf(address: string, now: string): readonly ResolvedRecipient[] {
    const parsed = parseRecipientAddress(address);
    if (parsed.kind === 'person') return [{ personId: parsed.personId, address, basis: 'direct', mandateId: null, mandateVersion: null }];
    return resolveRoleAddress(parsed, this.deps.roles.roleFacts(parsed.taskType, parsed.unitId, now));
  }

  /** A recipient with what their deliveries are planned from: locale (directory) and preferences (their stream). */
  private async factsOf(recipient: ResolvedRecipient): Promise<RecipientFacts> {
    const person = await this.deps.people.person(recipient.personId);
    const preferences = this.board.preferencesOf(recipient.personId) ?? defaultPreferences(this.options.defaultTimeZone);
    return { ...recipient, locale: person?.locale ?? 'en-GB', preferences };
  }

  private async resolve(n: ExistingNotification, now: string) {
    const recipients = await Promise.all(n.to.flatMap((address) => this.recipientsOf(address, now)).map((r) => this.factsOf(r)));
    const webhookIds = [...this.board.allWebhooks()].filter((w) => matches(w, n.eventType)).map((w) => w.webhookId);
    const command: NotificationCommand = { type: 'ResolveRecipients', data: { notificationId: n.notificationId, actorId: DISPATCHER_ACTOR, at: now, recipients, webhookIds } };
    return this.decide(notificationStreamName(n.notificationId), notificationDecider, command);
  }

  /** Duty notifications follow the mandate: a role-addressed delivery whose recipient the role no longer reaches goes to who it reaches now. */
  private async redirectIfNoLongerAddressed(n: ExistingNotification, d: DeliveryState, now: string): Promise<boolean> {
    if (!isRole(d.basis)) return false;
    const address = parseRecipientAddress(d.address);
    if (address.kind !== 'role') return false;
    const facts = this.deps.roles.roleFacts(address.taskType, address.unitId, now);
    if (stillAddressed(d, facts)) return false;
    const successors = await Promise.all(resolveRoleAddress(address, facts).map((r) => this.factsOf(r)));
    await this.notify(n.notificationId, { type: 'RedirectDelivery', data: { notificationId: n.notificationId, actorId: DISPATCHER_ACTOR, at: now, deliveryId: d.deliveryId, successors } });
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends the deliveries side by side, then records every attempt made in one append. A delivery
   * whose send threw (no outcome to record) is logged and sent again by a later pass. Should the
   * stream refuse the record as a whole (it changed meanwhile, e.g. a replay), each attempt is
   * recorded on its own, so one refusal does not lose the others' records (and resend them).
   */
  private async sendAndRecord(n: ExistingNotification, deliveries: readonly DeliveryState[], now: string, outcome: DispatchOutcome): Promise<void> {
    const sent = await Promise.all(
      deliveries.map(async (d): Promise<DeliveryAttemptRecord | undefined> => {
        try {
          const result = d.channel === 'email' ? await this.sendMail(n, d) : await this.postWebhook(n, d, now);
          return { deliveryId: d.deliveryId, outcome: result, retryPolicy: d.channel === 'email' ? this.policies.email : this.policies.webhook };
        } catch (error) {
          this.failed(d.deliveryId, error);
          return undefined;
        }
      }),
    );
    const attempts = sent.filter((attempt): attempt is DeliveryAttemptRecord => attempt !== undefined);
    if (attempts.length === 0) return;
    outcome.attempted += attempts.length;
    const data = { notificationId: n.notificationId, actorId: DISPATCHER_ACTOR, at: now };
    try {
      await this.notify(n.notificationId, { type: 'RecordDeliveryAttempts', data: { ...data, attempts } });
    } catch (error) {
      if (!(error instanceof DomainRuleError) || attempts.length === 1) {
        this.failed(n.notificationId, error);
        return;
      }
      for (const attempt of attempts) await this.guarded(attempt.deliveryId, () => this.notify(n.notificationId, { type: 'RecordDeliveryAttempt', data: { ...data, ...attempt } }));
    }
  }

  private async sendMail(n: ExistingNotification, d: DeliveryState): Promise<AttemptOutcome> {
    const person = await this.deps.people.person(d.recipientId);
    // Unknown to the directory now (its owner unreachable, or the person not yet synced): try again later.
    if (!person) return { kind: 'failed', retryable: true, responseCode: null, error: 'the directory does not know the recipient (yet)' };
    if (!person.email) return { kind: 'failed', retryable: false, responseCode: null, error: 'the directory has no e-mail address for the recipient' };
    const message = await this.deps.renderer.render(n.content, n.data, { locale: d.locale, timeZone: d.timeZone });
    const calendar = n.calendar ? await sessionInvitationPart(n.data, n.calendar, this.deps.people, n.requestedAt) : undefined;
    return this.deps.mail.send({ messageId: `<${d.deliveryId}@notifications.leadership>`, to: person.email, ...message, ...(calendar ? { calendar } : {}) });
  }

  private async postWebhook(n: ExistingNotification, d: DeliveryState, now: string): Promise<AttemptOutcome> {
    const subscription = this.board.webhook(d.recipientId);
    if (!subscription || subscription.status !== 'enabled') return { kind: 'failed', retryable: false, responseCode: null, error: 'the webhook subscription is disabled or gone' };
    const message = await this.deps.renderer.render(n.content, n.data, { locale: d.locale, timeZone: d.timeZone }, 'ids');
    const body = JSON.stringify({
      type: n.eventType,
      timestamp: n.requestedAt,
      data: { notificationId: n.notificationId, category: n.category, critical: n.critical, source: n.source, subject: message.subject, text: message.text, facts: n.data },
    });
    const { id, timestamp } = webhookMessage(d.deliveryId, now);
    return this.deps.webhooks.deliver({ url: subscription.url, id, timestamp, body, secrets: signingSecrets(subscription, now) });
  }

  // ---------------------------------------------------------------------------------------------
  // Digests

  /** Adds the e-mail to its window's digest; a window released without it sends it on to the next one. */
  private async joinDigest(n: ExistingNotification, d: DeliveryState, planned: DigestWindow | undefined, now: string): Promise<number> {
    let window = planned ? windowOf(planned) : undefined;
    // Each refusal names the next window; a handful covers any backlog a restart can leave.
    for (let hop = 0; window && hop < 5; hop++) {
      const digestId = digestIdFor(d.recipientId, n.category, window.key);
      const command: DigestCommand = {
        type: 'AddToDigest',
        data: { digestId, actorId: DISPATCHER_ACTOR, at: now, personId: d.recipientId, category: n.category, window, timeZone: d.timeZone, notificationId: n.notificationId, deliveryId: d.deliveryId },
      };
      try {
        return await this.append(digestStreamName(digestId), digestDecider, command);
      } catch (error) {
        if (!(error instanceof DigestAlreadyReleasedError)) throw error;
        window = windowOf(error.next);
      }
    }
    return 0;
  }

  private async workDigest(g: ExistingDigest, now: string, outcome: DispatchOutcome): Promise<void> {
    if (g.status === 'open' && due(g.window.closesAt, now)) {
      await this.releaseDigest(g, now);
      outcome.digestsReleased++;
    } else if ((g.status === 'released' || g.status === 'retrying') && g.released.length === 0) {
      // Every item was withdrawn at release: there is nothing to send.
      this.board.forgetDigest(g.digestId);
    } else if ((g.status === 'released' || g.status === 'retrying') && due(g.notBefore, now)) {
      await this.sendDigest(g, now);
      outcome.digestsSent++;
    } else if (g.status === 'sent' || g.status === 'dead-lettered') {
      await this.settleItems(g, now);
    }
  }

  private async releaseDigest(g: ExistingDigest, now: string): Promise<void> {
    const addressedNow = (d: DeliveryState): boolean => {
      if (!isRole(d.basis)) return true;
      const address = parseRecipientAddress(d.address);
      return address.kind !== 'role' || stillAddressed(d, this.deps.roles.roleFacts(address.taskType, address.unitId, now));
    };
    const withdrawn: string[] = [];
    for (const item of g.items) {
      const n = this.board.notification(item.notificationId);
      const d = n?.deliveries.find((x) => x.deliveryId === item.deliveryId);
      if (n && d?.status === 'digest' && addressedNow(d)) continue;
      withdrawn.push(item.notificationId);
      // Checked again at release: an item for a role its recipient no longer holds goes to who holds it
      // now. Redirected before the release, so a crash in between leaves nothing stranded: the next pass
      // finds the delivery withdrawn and releases without it.
      if (n && d?.status === 'digest') await this.redirectIfNoLongerAddressed(n, d, now);
    }
    const preferences = this.board.preferencesOf(g.personId) ?? defaultPreferences(g.timeZone);
    const sendAt = nextSendWindow(preferences, now);
    await this.append(digestStreamName(g.digestId), digestDecider, { type: 'ReleaseDigest', data: { digestId: g.digestId, actorId: DISPATCHER_ACTOR, at: now, withdrawn, sendAt } });
  }

  private async sendDigest(g: ExistingDigest, now: string): Promise<void> {
    const person = await this.deps.people.person(g.personId);
    const locale = person?.locale ?? 'en-GB';
    const context = { locale, timeZone: g.timeZone };
    const lines: string[] = [];
    for (const notificationId of g.released) {
      const n = this.board.notification(notificationId);
      if (n) lines.push(`- ${(await this.deps.renderer.render(n.content, n.data, context)).subject}`);
    }
    let result: AttemptOutcome;
    if (!person?.email) result = { kind: 'failed', retryable: false, responseCode: null, error: 'the directory has no e-mail address for the recipient' };
    else {
      const message = await this.deps.renderer.render({ template: 'digest' }, { count: g.released.length, items: lines.join('\n') }, context);
      result = await this.deps.mail.send({ messageId: `<${g.digestId}@notifications.leadership>`, to: person.email, ...message });
    }
    await this.append(digestStreamName(g.digestId), digestDecider, { type: 'RecordDigestAttempt', data: { digestId: g.digestId, actorId: DISPATCHER_ACTOR, at: now, outcome: result, retryPolicy: this.policies.email } });
  }

  /** After the digest's e-mail went out (or was given up), each item's delivery says so; then the board forgets the digest. */
  private async settleItems(g: ExistingDigest, now: string): Promise<void> {
    for (const notificationId of g.released) {
      const n = this.board.notification(notificationId);
      const d = n?.deliveries.find((x) => g.items.some((item) => item.deliveryId === x.deliveryId));
      if (!n || !d || d.status !== 'digest') continue;
      const result: AttemptOutcome =
        g.status === 'sent' ? { kind: 'delivered', responseCode: null } : { kind: 'failed', retryable: false, responseCode: null, error: g.lastError ?? 'the digest was dead-lettered' };
      await this.notify(n.notificationId, { type: 'RecordDeliveryAttempt', data: { notificationId: n.notificationId, actorId: DISPATCHER_ACTOR, at: now, deliveryId: d.deliveryId, outcome: result, digestId: g.digestId } });
    }
    await this.board.catchUp();
    const open = g.released.some((id) => this.board.notification(id)?.deliveries.some((d) => d.status === 'digest' && g.items.some((item) => item.deliveryId === d.deliveryId)));
    if (!open) this.board.forgetDigest(g.digestId);
  }
}
