import { assertNever, type Decider } from '@leadership/kernel';
import { epochMs, HOUR_MS, isBefore, toInstant } from '../shared/instant';
import { blank } from '../shared/notification-vocabulary';
import type { DisableWebhook, EnableWebhook, PutWebhook, RotateWebhookSecret, WebhookCommand } from './webhook.commands';
import {
  WebhookEventTypesInvalidError,
  WebhookNotFoundError,
  WebhookOverlapInvalidError,
  WebhookReasonRequiredError,
  WebhookSecretInvalidError,
  WebhookUrlInvalidError,
} from './webhook.errors';
import type { WebhookEvent } from './webhook.events';

/** A signing secret and until when it signs (null: the current one, until rotated). */
export interface SigningSecret {
  readonly secret: string;
  readonly validUntil: string | null;
}

/** A webhook subscription. */
export interface ExistingWebhook {
  readonly status: 'enabled' | 'disabled';
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  /** The current secret first, then rotated-out ones still inside their overlap when last rotated. */
  readonly secrets: readonly SigningSecret[];
  readonly disabledReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type WebhookState = { readonly status: 'none' } | ExistingWebhook;

/** Overlap of a rotation when the command names none: a day, time enough for a receiver to deploy the new secret. */
export const DEFAULT_SECRET_OVERLAP_HOURS = 24;
const MAX_OVERLAP_HOURS = 168;
const MAX_EVENT_TYPES = 50;
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const EVENT_TYPE = /^(\*|[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?)$/;

type Events = readonly WebhookEvent[];

function existing(state: WebhookState, webhookId: string): ExistingWebhook {
  if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
  return state;
}

function validUrl(webhookId: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlInvalidError(webhookId, 'the url is not an absolute URL');
  }
  if (text.length > 2_000) throw new WebhookUrlInvalidError(webhookId, 'the url is longer than 2000 characters');
  const local = LOCAL_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new WebhookUrlInvalidError(webhookId, 'use https (http only for localhost)');
  // Credentials in a URL end up in logs and delivery records; the signature authenticates instead.
  if (url.username !== '' || url.password !== '') throw new WebhookUrlInvalidError(webhookId, 'the url may not carry credentials');
  if (url.hash !== '') throw new WebhookUrlInvalidError(webhookId, 'the url may not have a fragment');
  return url.toString();
}

function validEventTypes(webhookId: string, eventTypes: readonly string[]): readonly string[] {
  const unique = [...new Set(eventTypes)];
  if (unique.length === 0 || unique.length > MAX_EVENT_TYPES || unique.some((t) => !EVENT_TYPE.test(t) || t.length > 100)) throw new WebhookEventTypesInvalidError(webhookId);
  return unique;
}

/** `whsec_` + base64 of 24..64 bytes (checked on the text: pure code has no Buffer). */
function validSecret(webhookId: string, secret: string): string {
  const match = /^whsec_([A-Za-z0-9+/]+)(={0,2})$/.exec(secret);
  const encoded = match ? `${match[1]}${match[2]}` : '';
  if (!match || encoded.length % 4 !== 0) throw new WebhookSecretInvalidError(webhookId, 'the secret is whsec_ followed by base64');
  const bytes = (encoded.length / 4) * 3 - (match[2] ?? '').length;
  if (bytes < 24 || bytes > 64) throw new WebhookSecretInvalidError(webhookId, 'the secret has 24 to 64 bytes of key');
  return secret;
}

/** Rotating to the current secret is a no-op (a repeated PUT with the secret it set). */
function rotation(current: ExistingWebhook, secret: string, actorId: string, at: string, overlapHours: number): Events {
  if (current.secrets[0]?.secret === secret) return [];
  const previousValidUntil = toInstant(epochMs(at) + overlapHours * HOUR_MS);
  return [{ type: 'WebhookSecretRotated', data: { webhookId: current.webhookId, actorId, at, secret, previousValidUntil } }];
}

function put(command: PutWebhook, state: WebhookState): Events {
  const { webhookId, actorId, at } = command.data;
  const url = validUrl(webhookId, command.data.url);
  const eventTypes = validEventTypes(webhookId, command.data.eventTypes);
  const secret = command.data.secret === null ? null : validSecret(webhookId, command.data.secret);
  if (state.status === 'none') {
    if (secret === null) throw new WebhookSecretInvalidError(webhookId, 'a new webhook needs a secret');
    return [{ type: 'WebhookCreated', data: { webhookId, actorId, at, url, eventTypes, secret } }];
  }
  const changed = state.url !== url || state.eventTypes.join('\n') !== eventTypes.join('\n');
  const updated: Events = changed ? [{ type: 'WebhookUpdated', data: { webhookId, actorId, at, url, eventTypes } }] : [];
  const rotated = secret === null ? [] : rotation(state, secret, actorId, at, DEFAULT_SECRET_OVERLAP_HOURS);
  return [...updated, ...rotated];
}

function rotate(command: RotateWebhookSecret, state: WebhookState): Events {
  const { webhookId, actorId, at, overlapHours = DEFAULT_SECRET_OVERLAP_HOURS } = command.data;
  const current = existing(state, webhookId);
  if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > MAX_OVERLAP_HOURS) throw new WebhookOverlapInvalidError(webhookId);
  return rotation(current, validSecret(webhookId, command.data.secret), actorId, at, overlapHours);
}

function disable(command: DisableWebhook, state: WebhookState): Events {
  const { webhookId, actorId, at, reason } = command.data;
  const current = existing(state, webhookId);
  if (current.status === 'disabled') return [];
  if (blank(reason)) throw new WebhookReasonRequiredError(webhookId);
  return [{ type: 'WebhookDisabled', data: { webhookId, actorId, at, reason: reason.trim() } }];
}

function enable(command: EnableWebhook, state: WebhookState): Events {
  const { webhookId, actorId, at } = command.data;
  const current = existing(state, webhookId);
  return current.status === 'enabled' ? [] : [{ type: 'WebhookEnabled', data: { webhookId, actorId, at } }];
}

function evolve(state: WebhookState, event: WebhookEvent): WebhookState {
  if (event.type === 'WebhookCreated') {
    const { webhookId, url, eventTypes, secret, at } = event.data;
    return { status: 'enabled', webhookId, url, eventTypes, secrets: [{ secret, validUntil: null }], disabledReason: null, createdAt: at, updatedAt: at };
  }
  if (state.status === 'none') return state;
  const at = event.data.at;
  switch (event.type) {
    case 'WebhookUpdated':
      return { ...state, url: event.data.url, eventTypes: event.data.eventTypes, updatedAt: at };
    case 'WebhookSecretRotated': {
      const [current, ...older] = state.secrets;
      // Secrets whose overlap is over by now are dropped, so the list stays as short as the overlaps.
      const stillValid = older.filter((s) => s.validUntil !== null && isBefore(at, s.validUntil));
      const previous = current ? [{ secret: current.secret, validUntil: event.data.previousValidUntil }] : [];
      return { ...state, secrets: [{ secret: event.data.secret, validUntil: null }, ...previous, ...stillValid], updatedAt: at };
    }
    case 'WebhookDisabled':
      return { ...state, status: 'disabled', disabledReason: event.data.reason, updatedAt: at };
    case 'WebhookEnabled':
      return { ...state, status: 'enabled', disabledReason: null, updatedAt: at };
    default:
      return assertNever(event);
  }
}

/** The webhook subscription aggregate as a decider (stream `webhook-<id>`). */
export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'PutWebhook':
        return put(command, state);
      case 'RotateWebhookSecret':
        return rotate(command, state);
      case 'DisableWebhook':
        return disable(command, state);
      case 'EnableWebhook':
        return enable(command, state);
      default:
        return assertNever(command);
    }
  },
};
