import { streamName } from '@leadership/kernel';

/*
 * Stream names of the onboarding context, `<category>-<id>` (the kernel's `streamName`). The
 * categories never contain '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const PROGRAMME_STREAM_CATEGORY = 'programme';
/** One plan per newcomer: the id is the newcomer's person id. */
export const PLAN_STREAM_CATEGORY = 'plan';
export const SESSION_STREAM_CATEGORY = 'session';
export const BOOKING_STREAM_CATEGORY = 'booking';
/** One calendar per presenter: the id is the person id (the consistency boundary against double booking). */
export const PRESENTER_STREAM_CATEGORY = 'presenter';

export const programmeStreamName = (programmeId: string): string => streamName(PROGRAMME_STREAM_CATEGORY, programmeId);
export const planStreamName = (newcomerId: string): string => streamName(PLAN_STREAM_CATEGORY, newcomerId);
export const sessionStreamName = (sessionId: string): string => streamName(SESSION_STREAM_CATEGORY, sessionId);
export const bookingStreamName = (bookingId: string): string => streamName(BOOKING_STREAM_CATEGORY, bookingId);
export const presenterStreamName = (personId: string): string => streamName(PRESENTER_STREAM_CATEGORY, personId);
/** One stream per fired reminder (its id is the reminder id): a ledger that makes each reminder fire once. */
export const REMINDER_STREAM_CATEGORY = 'reminder';
export const reminderStreamName = (reminderId: string): string => streamName(REMINDER_STREAM_CATEGORY, reminderId);
