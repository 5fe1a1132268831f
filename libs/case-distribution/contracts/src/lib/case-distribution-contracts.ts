import { CaseChanged } from './case-changed.integration-event';

/** Every integration event the case distribution context publishes (the AsyncAPI document lists these). */
export const caseDistributionContracts = [CaseChanged] as const;
