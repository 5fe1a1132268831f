import { generateAsyncApiDocument, type AsyncApiDocument, type AsyncApiOptions } from '@leadership/messaging-contracts';
import { caseDistributionContracts, caseDistributionIntakeContracts } from './case-distribution-contracts';

type Section = Readonly<Record<string, unknown>>;

const section = (document: AsyncApiDocument, key: string): Section => (document[key] ?? {}) as Section;

/**
 * The AsyncAPI 3 document of the case distribution service (checked in as
 * services/case-distribution/asyncapi.json): what it sends (case state, assignments) and the intake
 * topic it receives. The generator takes one side per document, so the two are generated and their
 * channels, operations and messages merged (operation names carry the side, so nothing collides).
 */
export function caseDistributionAsyncApi(): AsyncApiDocument {
  const common: Omit<AsyncApiOptions, 'contracts' | 'action'> = {
    title: 'Case distribution service events',
    version: '1.0.0',
    description:
      'Integration events of the case distribution context: it sends case state (compacted) and assignment events, and receives ' +
      'cases from other departments on the intake topic. CloudEvents 1.0 in Kafka binary mode; key = aggregate id.',
    servers: { local: { host: '127.0.0.1:9092', description: 'npm start / npm run infra' } },
  };
  const sent = generateAsyncApiDocument({ ...common, contracts: caseDistributionContracts, action: 'send' });
  const received = generateAsyncApiDocument({ ...common, contracts: caseDistributionIntakeContracts, action: 'receive' });
  const merged = (key: string): Section => {
    const entries = Object.entries({ ...section(sent, key), ...section(received, key) });
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  };
  const messages = (document: AsyncApiDocument) => section(section(document, 'components') as AsyncApiDocument, 'messages');
  return {
    ...sent,
    channels: merged('channels'),
    operations: merged('operations'),
    components: { messages: Object.fromEntries(Object.entries({ ...messages(sent), ...messages(received) }).sort(([a], [b]) => a.localeCompare(b))) },
  };
}
