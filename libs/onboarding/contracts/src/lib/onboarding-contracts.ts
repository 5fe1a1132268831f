import { PlanChanged } from './plan-changed.integration-event';

/** Every integration event the onboarding context publishes (the AsyncAPI document lists these). */
export const onboardingContracts = [PlanChanged] as const;
