import { generateAsyncApiDocument, type AsyncApiDocument } from '@leadership/messaging-contracts';
import { onboardingContracts } from './onboarding-contracts';

/** The AsyncAPI 3 document of what the onboarding service publishes (checked in as services/onboarding/asyncapi.json). */
export function onboardingAsyncApi(): AsyncApiDocument {
  return generateAsyncApiDocument({
    title: 'Onboarding service events',
    version: '1.0.0',
    description: 'Integration events of the onboarding context. CloudEvents 1.0 in Kafka binary mode; key = aggregate id.',
    contracts: onboardingContracts,
    action: 'send',
    servers: { local: { host: '127.0.0.1:9092', description: 'npm start / npm run infra' } },
  });
}
