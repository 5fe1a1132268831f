import { generateAsyncApiDocument, type AsyncApiDocument } from '@leadership/messaging-contracts';
import { notificationsContracts } from './notifications-contracts';

/** The AsyncAPI 3 document of what the notifications service publishes (checked in as services/notifications/asyncapi.json). */
export function notificationsAsyncApi(): AsyncApiDocument {
  return generateAsyncApiDocument({
    title: 'Notifications service events',
    version: '1.0.0',
    description: 'Integration events of the notifications context. CloudEvents 1.0 in Kafka binary mode; key = aggregate id.',
    contracts: notificationsContracts,
    action: 'send',
    servers: { local: { host: '127.0.0.1:9092', description: 'npm start / npm run infra' } },
  });
}
