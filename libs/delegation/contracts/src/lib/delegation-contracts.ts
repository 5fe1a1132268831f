import { MandateChanged } from './mandate-changed.integration-event';
import { MandateReminderDue } from './mandate-reminder-due.integration-event';
import { PersonChanged, UnitChanged } from './directory.integration-events';
import { DelegationRelayProgress } from './delegation-relay-progress.integration-event';

/** Every integration event the delegation context publishes (the AsyncAPI document lists these). */
export const delegationContracts = [MandateChanged, MandateReminderDue, UnitChanged, PersonChanged, DelegationRelayProgress] as const;
