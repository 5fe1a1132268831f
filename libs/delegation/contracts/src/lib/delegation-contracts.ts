import { MandateChanged } from './mandate-changed.integration-event';
import { PersonChanged, UnitChanged } from './directory.integration-events';

/** Every integration event the delegation context publishes (the AsyncAPI document lists these). */
export const delegationContracts = [MandateChanged, UnitChanged, PersonChanged] as const;
