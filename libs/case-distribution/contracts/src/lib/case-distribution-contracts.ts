import { CaseAssignmentEvent } from './case-assignment.integration-event';
import { CaseChanged } from './case-changed.integration-event';
import { CaseSubmitted } from './case-submitted.integration-event';

/** Every integration event the case distribution context publishes. */
export const caseDistributionContracts = [CaseChanged, CaseAssignmentEvent] as const;

/** Integration events the case distribution context consumes and owns the contract of (its intake). */
export const caseDistributionIntakeContracts = [CaseSubmitted] as const;
