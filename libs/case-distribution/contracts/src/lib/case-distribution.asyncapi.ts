import { generateAsyncApiDocument, type AsyncApiDocument } from '@leadership/messaging-contracts';
import { caseDistributionContracts } from './case-distribution-contracts';

/** The AsyncAPI 3 document of what the case distribution service publishes (checked in as services/case-distribution/asyncapi.json). */
export function caseDistributionAsyncApi(): AsyncApiDocument {
  return generateAsyncApiDocument({
    title: 'Case distribution service events',
    version: '1.0.0',
    description: 'Integration events of the case distribution context. CloudEvents 1.0 in Kafka binary mode; key = aggregate id.',
    contracts: caseDistributionContracts,
    action: 'send',
    servers: { local: { host: '127.0.0.1:9092', description: 'npm start / npm run infra' } },
  });
}
