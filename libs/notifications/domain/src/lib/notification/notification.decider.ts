import { assertNever, type Decider } from '@leadership/kernel';
import { formatRecipientAddress, parseRecipientAddress } from '../recipient/recipient-address';
import type { ResolvedRecipient } from '../recipient/resolve-role-address';
import { afterFailure, DEFAULT_RETRY_POLICY, MAX_ERROR_LENGTH, type RetryPolicy } from '../shared/delivery-attempts';
import { isCategory, blank, type Channel } from '../shared/notification-vocabulary';
import { sameJson } from '../shared/same-json';
import { FALLBACK_LOCALE, isTemplateKey, templateFor } from '../template/notification-templates';
import { missingVariables, TemplateVariableMissingError, type MessageTemplate } from '../template/render-template';
import { planDeliveries } from './delivery-plan';
import type { ChangeInboxItem, NotificationCommand, RecipientFacts, RecordDeliveryAttempt, RecordDeliveryAttempts, RedirectDelivery, ReplayDelivery, RequestNotification, ResolveRecipients } from './notification.commands';
import {
  DeliveryAlreadyDeliveredError,
  DeliveryClosedError,
  DeliveryNotDueError,
  DeliveryNotFoundError,
  DeliveryNotReplayableError,
  InboxItemNotYoursError,
  NotificationAlreadyExistsError,
  NotificationCategoryInvalidError,
  NotificationContentInvalidError,
  NotificationNotFoundError,
  NotificationRecipientsRequiredError,
  RecipientNotAddressedError,
} from './notification.errors';
import type { NotificationEvent } from './notification.events';
import { deliveryOf, evolveNotification, type DeliveryState, type ExistingNotification, type NotificationState } from './notification.state';

/** Addresses per notification: a fan-out to a whole organisation is a different feature (and a DoS). */
export const MAX_RECIPIENT_ADDRESSES = 50;
export const MAX_SUBJECT_LENGTH = 200;
export const MAX_BODY_LENGTH = 10_000;

/** Retries per channel; in-app items are written, not sent, and never retried. */
export const RETRY_POLICIES: Readonly<Record<Exclude<Channel, 'in-app'>, RetryPolicy>> = { email: DEFAULT_RETRY_POLICY, webhook: DEFAULT_RETRY_POLICY };

type Events = readonly NotificationEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: NotificationState, notificationId: string): ExistingNotification {
  if (state.status === 'none') throw new NotificationNotFoundError(notificationId);
  return state;
}

function delivery(state: ExistingNotification, deliveryId: string): DeliveryState {
  const found = deliveryOf(state, deliveryId);
  if (!found) throw new DeliveryNotFoundError(state.notificationId, deliveryId);
  return found;
}

/** The template the content uses (checked against the fallback locale; every locale uses the same variables, see its spec). */
function contentTemplate(command: RequestNotification): MessageTemplate {
  const { notificationId, content } = command.data;
  if ('template' in content) {
    if (!isTemplateKey(content.template)) throw new NotificationContentInvalidError(notificationId, `there is no template "${content.template.slice(0, 100)}"`);
    return templateFor(content.template, FALLBACK_LOCALE);
  }
  if (blank(content.subject) || content.subject.length > MAX_SUBJECT_LENGTH) throw new NotificationContentInvalidError(notificationId, `the subject is 1 to ${MAX_SUBJECT_LENGTH} characters`);
  if (blank(content.body) || content.body.length > MAX_BODY_LENGTH) throw new NotificationContentInvalidError(notificationId, `the body is 1 to ${MAX_BODY_LENGTH} characters`);
  return content;
}

/** The addresses in canonical form, each once; refuses malformed ones and empty or oversized lists. */
function addresses(command: RequestNotification): readonly string[] {
  const to = [...new Set(command.data.to.map((text) => formatRecipientAddress(parseRecipientAddress(text.trim()))))];
  if (to.length === 0 || to.length > MAX_RECIPIENT_ADDRESSES) throw new NotificationRecipientsRequiredError(command.data.notificationId, MAX_RECIPIENT_ADDRESSES);
  return to;
}

function requireAddressed(state: ExistingNotification, recipients: readonly RecipientFacts[], addressesAllowed: readonly string[]): void {
  const stranger = recipients.find((r) => !addressesAllowed.includes(r.address));
  if (stranger) throw new RecipientNotAddressedError(state.notificationId, stranger.address);
}

const recipientOf = ({ personId, address, basis, mandateId, mandateVersion }: ResolvedRecipient): ResolvedRecipient => ({ personId, address, basis, mandateId, mandateVersion });

// ---------------------------------------------------------------------------------------------
// One function per command.

function request(command: RequestNotification, state: NotificationState): Events {
  const { notificationId, category } = command.data;
  if (!isCategory(category)) throw new NotificationCategoryInvalidError(notificationId);
  const to = addresses(command);
  const missing = missingVariables(contentTemplate(command), command.data.data);
  if (missing.length > 0) throw new TemplateVariableMissingError(missing);
  const data = { ...command.data, to };
  if (state.status !== 'none') {
    // A redelivered source event or a retried request is a no-op; the arrival time and the actor are not the content.
    const { actorId: _actor, at: _at, ...requested } = data;
    const { status: _s, requestedBy: _b, requestedAt: _a, recipients: _r, unresolved: _u, deliveries: _d, ...stored } = state;
    if (sameJson(requested, stored)) return [];
    throw new NotificationAlreadyExistsError(notificationId);
  }
  return [{ type: 'NotificationRequested', data }];
}

function resolve(command: ResolveRecipients, state: NotificationState): Events {
  const { notificationId, actorId, at, recipients, webhookIds } = command.data;
  const current = existing(state, notificationId);
  // Resolution happens once; later changes of the mandates go through RedirectDelivery, one delivery at a time.
  if (current.status === 'resolved') return [];
  requireAddressed(current, recipients, current.to);
  const deliveries = planDeliveries(current, recipients, [...new Set(webhookIds)], at);
  const unresolved = current.to.filter((address) => !recipients.some((r) => r.address === address));
  const people = [...new Map(recipients.map((r) => [r.personId, recipientOf(r)])).values()];
  return [{ type: 'RecipientsResolved', data: { notificationId, actorId, at, recipients: people, unresolved, deliveries } }];
}

function redirect(command: RedirectDelivery, state: NotificationState): Events {
  const { notificationId, actorId, at, deliveryId, successors } = command.data;
  const current = existing(state, notificationId);
  const target = delivery(current, deliveryId);
  if (target.status === 'withdrawn') return [];
  if (target.status === 'delivered' || target.status === 'dead-lettered') throw new DeliveryClosedError(deliveryId, target.status, 'redirect it');
  requireAddressed(current, successors, [target.address]);
  const deliveries = planDeliveries(current, successors, [], at);
  return [{ type: 'DeliveryRedirected', data: { notificationId, actorId, at, deliveryId, reason: 'no-longer-addressed', successors: successors.map(recipientOf), deliveries } }];
}

function recordAttempt(command: RecordDeliveryAttempt, state: NotificationState): Events {
  const { notificationId, actorId, at, deliveryId, outcome } = command.data;
  const current = existing(state, notificationId);
  const target = delivery(current, deliveryId);
  if (target.channel === 'in-app') throw new DeliveryClosedError(deliveryId, 'an inbox item', 'record a send attempt');
  if (target.status === 'withdrawn') throw new DeliveryClosedError(deliveryId, target.status, 'record a send attempt');
  // The same attempt reported twice (the sender retried its report) changes nothing.
  if (target.lastAttemptAt === at) return [];
  if (target.status === 'delivered') {
    if (outcome.kind === 'delivered') return [];
    throw new DeliveryAlreadyDeliveredError(deliveryId);
  }
  if (target.status === 'dead-lettered') throw new DeliveryClosedError(deliveryId, target.status, 'record a send attempt before a replay');
  if (Date.parse(at) < Date.parse(target.notBefore)) throw new DeliveryNotDueError(deliveryId, target.notBefore);
  const attempt = target.attempts + 1;
  const base = { notificationId, actorId, at, deliveryId, attempt, responseCode: outcome.responseCode };
  if (outcome.kind === 'delivered') return [{ type: 'DeliverySucceeded', data: { ...base, digestId: command.data.digestId ?? null } }];
  const error = outcome.error.slice(0, MAX_ERROR_LENGTH);
  const next = afterFailure(command.data.retryPolicy ?? RETRY_POLICIES[target.channel], attempt, outcome.retryable, at, deliveryId);
  return next.kind === 'retry'
    ? [{ type: 'DeliveryAttemptFailed', data: { ...base, error, nextAttemptAt: next.nextAttemptAt } }]
    : [{ type: 'DeliveryDeadLettered', data: { ...base, error } }];
}

function recordAttempts(command: RecordDeliveryAttempts, state: NotificationState): Events {
  const { attempts, ...common } = command.data;
  existing(state, common.notificationId);
  const events: NotificationEvent[] = [];
  let current = state;
  for (const attempt of attempts) {
    const decided = recordAttempt({ type: 'RecordDeliveryAttempt', data: { ...common, ...attempt } }, current);
    events.push(...decided);
    current = decided.reduce(evolveNotification, current);
  }
  return events;
}

function replay(command: ReplayDelivery, state: NotificationState): Events {
  const { notificationId, actorId, at, deliveryId } = command.data;
  const current = existing(state, notificationId);
  const target = delivery(current, deliveryId);
  // A delivery on its way (scheduled, waiting for a retry or its digest) goes out anyway: a repeated replay is a no-op.
  if (target.channel !== 'in-app' && (target.status === 'scheduled' || target.status === 'retrying' || target.status === 'digest')) return [];
  const { status, channel } = target;
  if (status === 'dead-lettered' || (status === 'delivered' && channel === 'webhook')) {
    return [{ type: 'DeliveryReplayed', data: { notificationId, actorId, at, deliveryId, previousStatus: status } }];
  }
  throw new DeliveryNotReplayableError(deliveryId, status, channel);
}

function changeInbox(command: ChangeInboxItem, state: NotificationState): Events {
  const { notificationId, actorId, at, deliveryId } = command.data;
  const current = existing(state, notificationId);
  const item = deliveryOf(current, deliveryId);
  // Someone else's item and an e-mail look the same to the caller: not theirs (nothing about others' inboxes leaks).
  if (!item || item.channel !== 'in-app' || item.recipientId !== actorId) throw new InboxItemNotYoursError(deliveryId, actorId);
  const data = { notificationId, actorId, at, deliveryId };
  switch (command.type) {
    case 'MarkRead':
      return item.read ? [] : [{ type: 'InboxItemRead', data }];
    case 'MarkUnread':
      return item.read ? [{ type: 'InboxItemMarkedUnread', data }] : [];
    case 'Archive':
      return item.archived ? [] : [{ type: 'InboxItemArchived', data }];
    default:
      return assertNever(command.type);
  }
}

export function decideNotification(command: NotificationCommand, state: NotificationState): Events {
  switch (command.type) {
    case 'RequestNotification':
      return request(command, state);
    case 'ResolveRecipients':
      return resolve(command, state);
    case 'RedirectDelivery':
      return redirect(command, state);
    case 'RecordDeliveryAttempt':
      return recordAttempt(command, state);
    case 'RecordDeliveryAttempts':
      return recordAttempts(command, state);
    case 'ReplayDelivery':
      return replay(command, state);
    case 'MarkRead':
    case 'MarkUnread':
    case 'Archive':
      return changeInbox(command, state);
    default:
      return assertNever(command);
  }
}

/** The notification aggregate as a decider (stream `notification-<id>`, see `notificationStreamName`). */
export const notificationDecider: Decider<NotificationCommand, NotificationEvent, NotificationState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveNotification,
  decide: decideNotification,
};
