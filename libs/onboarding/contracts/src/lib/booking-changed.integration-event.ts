import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { decisionStampSchema, id, instant, presenterResolutionSchema } from './onboarding-contract-parts';

/** Presenter bookings, in order per booking (an event stream: every answer matters, not only the latest). */
export const BOOKINGS_TOPIC = 'leadership.onboarding.bookings.v1';

export const bookingChangeKinds = ['requested', 'confirmed', 'declined', 'expired', 'cancelled', 'released', 'rescheduled'] as const;

/** One change of a presenter booking, with the booking's state after it. */
export const BookingChanged = defineIntegrationEvent({
  type: 'leadership.onboarding.booking-changed.v1',
  topic: BOOKINGS_TOPIC,
  version: 1,
  description:
    'A colleague was asked to present an onboarding session (`requested`), accepted, declined (or withdrew), let the request expire, ' +
    'or the booking was cancelled (session removed), released (the role changed hands, or the presenter became absent then: `successorId` ' +
    'is asked next, if known) or moved with its session. After a decline, an expiry or an absence the next candidate is asked at once — a ' +
    'new booking of the same session (`requested`, `resolution.standIn` for a role\'s deputy or formal manager); a person-addressed ' +
    'session has no next candidate and waits for its organiser. The request carries the stamp of the authority it relied on and how the ' +
    'presenter was found. The decline reason is free text and stays in the service.',
  keyDescription: 'booking id',
  keyOf: (data) => data.bookingId,
  schema: z.strictObject({
    bookingId: id,
    version: z.number().int().nonnegative(),
    kind: z.enum(bookingChangeKinds),
    status: z.enum(['requested', 'confirmed', 'declined', 'expired', 'cancelled', 'released']),
    sessionId: id,
    /** The person asked. */
    presenterId: z.string().min(1),
    /** The session's title and window, as the request shows them. */
    topic: z.string().min(1),
    startsAt: instant,
    endsAt: instant,
    expiresAt: instant,
    resolution: presenterResolutionSchema,
    /** The decision to ask (who, on which mandate); it stays with the booking. */
    stamp: decisionStampSchema,
    /** Cancelled or released by a decision: its stamp; null for the presenter's answers and timers. */
    endedBy: decisionStampSchema.nullable(),
    /** Declined: the presenter had confirmed and withdrew. */
    withdrawn: z.boolean(),
    /** Released: who is asked instead (null when the role has no holder). */
    successorId: z.string().min(1).nullable(),
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      bookingId: 'b7d1c0e2-5a4f-8b3c-9d2e-1f0a9b8c7d6e',
      version: 0,
      kind: 'requested',
      status: 'requested',
      sessionId: '6c3b1a52-0d43-8e1f-9a6b-2f0e6d7c8b9a',
      presenterId: 'person-ben',
      topic: 'How cases are distributed',
      startsAt: '2026-10-26T09:00:00.000Z',
      endsAt: '2026-10-26T10:00:00.000Z',
      expiresAt: '2026-10-22T09:00:00.000Z',
      resolution: { basis: 'role', role: { taskType: 'case-distribution', unitId: 'unit-support' }, mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10', mandateVersion: 1 },
      stamp: { basis: 'mandate', mandateId: '5e1d7a3c-8b2f-4c6d-9e0a-7f3b2c1d0e9f', mandateVersion: 2, actorId: 'person-cleo' },
      endedBy: null,
      withdrawn: false,
      successorId: null,
      actorId: 'person-cleo',
      occurredAt: '2026-10-20T08:00:00.000Z',
    },
  ],
});

export type BookingChangedData = z.infer<typeof BookingChanged.schema>;
