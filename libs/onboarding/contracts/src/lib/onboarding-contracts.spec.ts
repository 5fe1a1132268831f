import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { BookingChanged, BOOKINGS_TOPIC } from './booking-changed.integration-event';
import { onboardingContracts } from './onboarding-contracts';
import { onboardingAsyncApi } from './onboarding.asyncapi';
import { PlanChanged, PLANS_TOPIC } from './plan-changed.integration-event';
import { REMINDERS_TOPIC, TaskReminderDue } from './reminder-due.integration-event';
import { PresenterUnavailabilityChanged, SessionChanged, SESSIONS_TOPIC } from './session-changed.integration-event';

describe('onboarding integration contracts', () => {
  it('are published on the context topics', () => {
    for (const [topic, stream] of [
      [PLANS_TOPIC, 'plans'],
      [SESSIONS_TOPIC, 'sessions'],
      [BOOKINGS_TOPIC, 'bookings'],
      [REMINDERS_TOPIC, 'reminders'],
    ] as const) {
      expect(parseTopicName(topic)).toEqual({ context: 'onboarding', stream, major: 1 });
    }
  });

  it.each(onboardingContracts.map((contract) => [contract.type, contract] as const))('%s: its examples parse back unchanged', (_type, contract) => {
    expect(contract.examples.length).toBeGreaterThan(0);
    for (const example of contract.examples) expect(contract.parse(example)).toEqual(example);
  });

  it('keys plans by newcomer, sessions by session, bookings by booking, and presenter windows by session and person', () => {
    const [plan] = PlanChanged.examples;
    const [session] = SessionChanged.examples;
    const [window] = PresenterUnavailabilityChanged.examples;
    const [booking] = BookingChanged.examples;
    expect(plan && PlanChanged.keyOf(plan)).toBe('person-nina');
    expect(session && SessionChanged.keyOf(session)).toBe(session?.sessionId);
    expect(window && PresenterUnavailabilityChanged.keyOf(window)).toBe(`${window?.sessionId}:person-ben`);
    expect(booking && BookingChanged.keyOf(booking)).toBe(booking?.bookingId);
  });

  it('rejects unknown fields (a free-text decline reason never leaks) and missing ones without echoing values', () => {
    const [booking] = BookingChanged.examples;
    expect(() => BookingChanged.parse({ ...booking, reason: 'private text' })).toThrow(IntegrationEventValidationError);
    const result = TaskReminderDue.safeParse({ ...TaskReminderDue.examples[0], reminderId: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('private text');
  });

  it('refuses a role resolution without its mandate (the stamp of who holds the role)', () => {
    const [booking] = BookingChanged.examples;
    const roleWithoutMandate = { basis: 'role', role: { taskType: 'case-distribution', unitId: 'unit-support' } };
    expect(BookingChanged.safeParse({ ...booking, resolution: roleWithoutMandate }).success).toBe(false);
  });

  it('documents every event in the AsyncAPI document with its JSON Schema', () => {
    const document = JSON.stringify(onboardingAsyncApi());
    for (const contract of onboardingContracts) {
      expect(document).toContain(contract.type);
      expect(document).toContain(contract.topic);
      expect(contract.jsonSchema()).toMatchObject({ additionalProperties: false });
    }
  });
});
