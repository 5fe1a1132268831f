import { DeliveryRecorded } from './delivery-recorded.integration-event';

/** Every integration event the notifications context publishes (the AsyncAPI document lists these). */
export const notificationsContracts = [DeliveryRecorded] as const;
