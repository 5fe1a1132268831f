import { generateAsyncApiDocument, type AsyncApiDocument } from '@leadership/messaging-contracts';
import { delegationContracts } from '@leadership/delegation-contracts';

/** The AsyncAPI 3 document of what the delegation service publishes (checked in as services/delegation/asyncapi.json). */
export function delegationAsyncApi(): AsyncApiDocument {
  return generateAsyncApiDocument({
    title: 'Delegation service events',
    version: '1.0.0',
    description:
      'Integration events of the delegation context: mandate changes (full state after each change), mandate reminders, ' +
      'directory changes (units, people — ids only). CloudEvents 1.0 in Kafka binary mode; key = aggregate id.',
    contracts: delegationContracts,
    action: 'send',
    servers: { local: { host: '127.0.0.1:9092', description: 'npm start / npm run infra' } },
  });
}
