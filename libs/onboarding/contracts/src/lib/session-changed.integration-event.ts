import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { decisionStampSchema, id, instant, presenterAddressSchema, stepKey } from './onboarding-contract-parts';

/**
 * Compacted. Two kinds of message share it under different keys: SessionChanged (key: session id)
 * and PresenterUnavailabilityChanged (key: `<sessionId>:<personId>`), so compaction keeps the
 * latest state of every session and of every presenter window.
 */
export const SESSIONS_TOPIC = 'leadership.onboarding.sessions.v1';

export const sessionChangeKinds = ['scheduled', 'revised', 'presenter-assigned', 'presenter-unassigned', 'cancelled', 'handed-over'] as const;

/** The state of a session after each change (state transfer); what the calendar invitations are made from. */
export const SessionChanged = defineIntegrationEvent({
  type: 'leadership.onboarding.session-changed.v1',
  topic: SESSIONS_TOPIC,
  version: 1,
  description:
    'An onboarding session was scheduled, revised, got or lost its presenter, was cancelled or handed to another organiser; the data ' +
    'is its full state after the change. `sequence` is the iCalendar SEQUENCE: it rises with every change attendees see.',
  keyDescription: 'session id',
  keyOf: (data) => data.sessionId,
  schema: z.strictObject({
    sessionId: id,
    version: z.number().int().nonnegative(),
    change: z.enum(sessionChangeKinds),
    status: z.enum(['scheduled', 'cancelled']),
    /** The plan (newcomer id) and step the session belongs to. */
    planId: id,
    stepKey,
    unitId: id,
    title: z.string().min(1),
    start: instant,
    end: instant,
    location: z.string().min(1).nullable(),
    link: z.string().url().nullable(),
    capacity: z.number().int().positive().nullable(),
    presenterSlot: presenterAddressSchema.nullable(),
    organiserId: z.string().min(1),
    attendeeIds: z.array(z.string().min(1)),
    /** The confirmed presenter and their booking; null while nobody is confirmed. */
    presenterId: z.string().min(1).nullable(),
    bookingId: z.string().min(1).nullable(),
    /**
     * The presenter this change took the session from (`presenter-unassigned`: released because the
     * role changed hands, or withdrew; `cancelled`: who presented it), so their calendar gets a
     * CANCEL; null otherwise.
     */
    formerPresenterId: z.string().min(1).nullable(),
    sequence: z.number().int().nonnegative(),
    /** The authority of the decision, for scheduling, revising and cancelling by the organiser; null otherwise. */
    stamp: decisionStampSchema.nullable(),
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      sessionId: '6c3b1a52-0d43-8e1f-9a6b-2f0e6d7c8b9a',
      version: 2,
      change: 'presenter-assigned',
      status: 'scheduled',
      planId: 'person-nina',
      stepKey: 'how-cases-are-distributed',
      unitId: 'unit-support',
      title: 'How cases are distributed',
      start: '2026-10-26T09:00:00.000Z',
      end: '2026-10-26T10:00:00.000Z',
      location: 'Room Vänern',
      link: null,
      capacity: 8,
      presenterSlot: { role: { taskType: 'case-distribution', unitId: 'unit-support' } },
      organiserId: 'person-cleo',
      attendeeIds: ['person-nina'],
      presenterId: 'person-ben',
      bookingId: 'b7d1c0e2-5a4f-8b3c-9d2e-1f0a9b8c7d6e',
      formerPresenterId: null,
      sequence: 1,
      stamp: null,
      actorId: 'person-ben',
      occurredAt: '2026-10-20T08:12:00.000Z',
    },
  ],
});

/**
 * A confirmed session makes its presenter unavailable for other work during it; a cancelled,
 * released or withdrawn one gives the time back. Case distribution records it as a window of work
 * elsewhere (`source: onboarding`, `sourceId: sessionId`) and routes no cases to the person then.
 */
export const PresenterUnavailabilityChanged = defineIntegrationEvent({
  type: 'leadership.onboarding.presenter-unavailability-changed.v1',
  topic: SESSIONS_TOPIC,
  version: 1,
  description:
    'A presenter is unavailable from `from` to `to` because they present an onboarding session (`unavailable`), or no longer are ' +
    '(`withdrawn`: the session was cancelled or they no longer present it). A rescheduled session sends `unavailable` again with the new window.',
  keyDescription: '`<sessionId>:<personId>`: one key per presenter window, so compaction keeps the latest state of each',
  keyOf: (data) => `${data.sessionId}:${data.personId}`,
  schema: z.strictObject({
    personId: z.string().min(1),
    sessionId: id,
    kind: z.enum(['unavailable', 'withdrawn']),
    /** The window (for `withdrawn`: the window given back). */
    from: instant,
    to: instant,
    /** Stream revision of the presenter's calendar that caused it: a consumer ignores an older one for the same key. */
    version: z.number().int().nonnegative(),
    occurredAt: instant,
  }),
  examples: [
    {
      personId: 'person-ben',
      sessionId: '6c3b1a52-0d43-8e1f-9a6b-2f0e6d7c8b9a',
      kind: 'unavailable',
      from: '2026-10-26T09:00:00.000Z',
      to: '2026-10-26T10:00:00.000Z',
      version: 4,
      occurredAt: '2026-10-20T08:12:00.000Z',
    },
  ],
});
