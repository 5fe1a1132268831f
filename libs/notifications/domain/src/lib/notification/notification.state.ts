import { assertNever } from '@leadership/kernel';
import type { ResolvedRecipient } from '../recipient/resolve-role-address';
import type { RequestNotification } from './notification.commands';
import type { DeliveryPlan, NotificationEvent } from './notification.events';

/** Where a delivery stands; `withdrawn` when redirected to a successor, `dead-lettered` after the last retry. */
export type DeliveryStatus = 'scheduled' | 'digest' | 'retrying' | 'delivered' | 'dead-lettered' | 'withdrawn';

/** One delivery with its log (what `GET /deliveries` and the webhook delivery log show). */
export interface DeliveryState extends Omit<DeliveryPlan, 'status'> {
  readonly status: DeliveryStatus;
  /** Attempts since planned or last replayed (the retry budget). */
  readonly attempts: number;
  readonly totalAttempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastResponseCode: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  /** The digest the e-mail went out in. */
  readonly deliveredInDigestId: string | null;
  /** In-app items only. */
  readonly read: boolean;
  readonly archived: boolean;
}

type Request = RequestNotification['data'];

/** A requested notification. */
export interface ExistingNotification extends Omit<Request, 'actorId' | 'at'> {
  readonly status: 'requested' | 'resolved';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly recipients: readonly ResolvedRecipient[];
  readonly unresolved: readonly string[];
  readonly deliveries: readonly DeliveryState[];
}

/** State of a notification stream: `none` until requested. */
export type NotificationState = { readonly status: 'none' } | ExistingNotification;

const planned = (plan: DeliveryPlan): DeliveryState => ({
  ...plan,
  attempts: 0,
  totalAttempts: 0,
  lastAttemptAt: null,
  lastResponseCode: null,
  lastError: null,
  deliveredAt: plan.status === 'delivered' ? plan.notBefore : null,
  deliveredInDigestId: null,
  read: false,
  archived: false,
});

function withDelivery(state: ExistingNotification, deliveryId: string, change: (d: DeliveryState) => DeliveryState): ExistingNotification {
  return { ...state, deliveries: state.deliveries.map((d) => (d.deliveryId === deliveryId ? change(d) : d)) };
}

function attempted(d: DeliveryState, at: string, responseCode: number | null, error: string | null): DeliveryState {
  return { ...d, attempts: d.attempts + 1, totalAttempts: d.totalAttempts + 1, lastAttemptAt: at, lastResponseCode: responseCode, lastError: error };
}

function evolveExisting(state: ExistingNotification, event: Exclude<NotificationEvent, { type: 'NotificationRequested' }>): ExistingNotification {
  switch (event.type) {
    case 'RecipientsResolved': {
      const { recipients, unresolved, deliveries } = event.data;
      return { ...state, status: 'resolved', recipients, unresolved, deliveries: deliveries.map(planned) };
    }
    case 'DeliveryRedirected': {
      const { deliveryId, successors, deliveries } = event.data;
      const known = new Set(state.recipients.map((r) => r.personId));
      const withdrawn = withDelivery(state, deliveryId, (d) => ({ ...d, status: 'withdrawn' }));
      return {
        ...withdrawn,
        recipients: [...state.recipients, ...successors.filter((s) => !known.has(s.personId))],
        deliveries: [...withdrawn.deliveries, ...deliveries.map(planned)],
      };
    }
    case 'DeliverySucceeded': {
      const { deliveryId, at, responseCode, digestId } = event.data;
      return withDelivery(state, deliveryId, (d) => ({ ...attempted(d, at, responseCode, null), status: 'delivered', deliveredAt: at, deliveredInDigestId: digestId }));
    }
    case 'DeliveryAttemptFailed': {
      const { deliveryId, at, responseCode, error, nextAttemptAt } = event.data;
      return withDelivery(state, deliveryId, (d) => ({ ...attempted(d, at, responseCode, error), status: 'retrying', notBefore: nextAttemptAt }));
    }
    case 'DeliveryDeadLettered': {
      const { deliveryId, at, responseCode, error } = event.data;
      return withDelivery(state, deliveryId, (d) => ({ ...attempted(d, at, responseCode, error), status: 'dead-lettered' }));
    }
    case 'DeliveryReplayed':
      return withDelivery(state, event.data.deliveryId, (d) => ({ ...d, status: 'scheduled', notBefore: event.data.at, attempts: 0, digest: null }));
    case 'InboxItemRead':
      return withDelivery(state, event.data.deliveryId, (d) => ({ ...d, read: true }));
    case 'InboxItemMarkedUnread':
      return withDelivery(state, event.data.deliveryId, (d) => ({ ...d, read: false }));
    case 'InboxItemArchived':
      return withDelivery(state, event.data.deliveryId, (d) => ({ ...d, archived: true }));
    default:
      return assertNever(event);
  }
}

/** Folds one event into the notification: the one reader of the stream (decider, read models, relay). */
export function evolveNotification(state: NotificationState, event: NotificationEvent): NotificationState {
  if (event.type === 'NotificationRequested') {
    const { actorId, at, ...request } = event.data;
    return { status: 'requested', ...request, requestedBy: actorId, requestedAt: at, recipients: [], unresolved: [], deliveries: [] };
  }
  // Decide never emits these for a notification that does not exist; a stream that says so anyway keeps its state.
  return state.status === 'none' ? state : evolveExisting(state, event);
}

/** A delivery of the notification by id, if one was planned. */
export const deliveryOf = (state: ExistingNotification, deliveryId: string): DeliveryState | undefined => state.deliveries.find((d) => d.deliveryId === deliveryId);
