import { BookingChanged } from './booking-changed.integration-event';
import { PlanChanged } from './plan-changed.integration-event';
import { SessionReminderDue, TaskReminderDue } from './reminder-due.integration-event';
import { PresenterUnavailabilityChanged, SessionChanged } from './session-changed.integration-event';

/** Every integration event the onboarding context publishes (the AsyncAPI document lists these). */
export const onboardingContracts = [PlanChanged, SessionChanged, PresenterUnavailabilityChanged, BookingChanged, TaskReminderDue, SessionReminderDue] as const;
