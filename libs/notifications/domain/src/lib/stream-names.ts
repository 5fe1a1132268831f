import { deterministicId, streamName } from '@leadership/kernel';
import type { Channel } from './shared/notification-vocabulary';

/*
 * Stream names of the notifications context, `<category>-<id>` (the kernel's `streamName`), and the
 * deterministic ids that make repeated triggers land in the same stream: a redelivered source event,
 * a retried REST request or two concurrent digest triggers name one stream, and the event store's
 * optimistic concurrency on that stream lets exactly one writer decide.
 */
export const NOTIFICATION_STREAM_CATEGORY = 'notification';
export const PREFERENCES_STREAM_CATEGORY = 'preferences';
export const DIGEST_STREAM_CATEGORY = 'digest';
export const WEBHOOK_STREAM_CATEGORY = 'webhook';

export const notificationStreamName = (notificationId: string): string => streamName(NOTIFICATION_STREAM_CATEGORY, notificationId);
export const preferencesStreamName = (personId: string): string => streamName(PREFERENCES_STREAM_CATEGORY, personId);
export const digestStreamName = (digestId: string): string => streamName(DIGEST_STREAM_CATEGORY, digestId);
export const webhookStreamName = (webhookId: string): string => streamName(WEBHOOK_STREAM_CATEGORY, webhookId);

/** The notification a workflow makes of a source event: a redelivered event makes the same one. */
export const notificationIdForSourceEvent = (sourceEventId: string, workflow: string): string => deterministicId('notification', 'event', sourceEventId, workflow);

/** The notification of a `POST /notifications`: per caller, so two callers' Idempotency-Keys never collide. */
export const notificationIdForRequest = (requesterId: string, idempotencyKey: string): string => deterministicId('notification', 'api', requesterId, idempotencyKey);

/** One delivery per (notification, recipient, channel), however often it is planned. */
export const deliveryIdFor = (notificationId: string, recipientId: string, channel: Channel): string => deterministicId('delivery', notificationId, recipientId, channel);

/**
 * One digest per (person, category, window). Hashed rather than joined with '-': person ids,
 * categories and window keys contain '-', so `a-b` + `c` and `a` + `b-c` would name one stream.
 */
export const digestIdFor = (personId: string, category: string, windowKey: string): string => deterministicId('digest', personId, category, windowKey);
