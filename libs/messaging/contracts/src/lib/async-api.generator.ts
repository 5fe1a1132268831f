import { cloudEventHeadersSchema } from './cloud-event';
import { ContractDefinitionError, type AnyIntegrationEventContract, type JsonSchema } from './define-integration-event';

/** A Kafka server entry of the AsyncAPI document. */
export interface AsyncApiServer {
  /** `host:port` of a bootstrap broker. */
  readonly host: string;
  readonly description?: string;
}

/** What the document describes and from whose side. */
export interface AsyncApiOptions {
  /** Usually the service name, e.g. "delegation events". */
  readonly title: string;
  /** Version of the document (the service or contracts package version). */
  readonly version: string;
  readonly description?: string;
  readonly contracts: readonly AnyIntegrationEventContract[];
  /**
   * The application's side: `send` for the producing service (default), `receive` for a
   * document describing what a consumer reads.
   */
  readonly action?: 'send' | 'receive';
  readonly servers?: Readonly<Record<string, AsyncApiServer>>;
}

/** An AsyncAPI 3.0 document as plain JSON data (serialise with JSON.stringify; JSON is YAML too). */
export type AsyncApiDocument = { readonly asyncapi: '3.0.0' } & JsonSchema;

const KAFKA_BINDING_VERSION = '0.5.0';
/** AsyncAPI 3 says which schema language a payload uses; zod generates draft-07. */
const SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

/** `#/…` pointer segment (RFC 6901). */
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function byName<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Generates the AsyncAPI 3.0 document of a set of contracts: one channel per topic, one message
 * per event type (payload JSON Schema, `ce_*` headers schema, Kafka key binding, examples), one
 * operation per channel. Entries are sorted, so the output is stable and can be checked in.
 */
export function generateAsyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const action = options.action ?? 'send';
  const seen = new Map<string, AnyIntegrationEventContract>();
  for (const contract of options.contracts) {
    if (seen.has(contract.type)) throw new ContractDefinitionError(`integration event ${contract.type} is listed twice`);
    seen.set(contract.type, contract);
  }
  const contracts = [...seen.values()];
  const topics = [...new Set(contracts.map((c) => c.topic))].sort();

  const messages = byName(
    contracts.map((c) => [
      c.type,
      {
        name: c.type,
        title: c.type,
        summary: c.description,
        contentType: 'application/json',
        headers: { schemaFormat: SCHEMA_FORMAT, schema: cloudEventHeadersSchema(c) },
        payload: { schemaFormat: SCHEMA_FORMAT, schema: c.jsonSchema() },
        correlationId: { description: 'ce_correlationid header', location: '$message.header#/ce_correlationid' },
        bindings: {
          kafka: {
            key: { type: 'string', description: `${c.keyDescription}; keeps each aggregate's events in order` },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
        ...(c.examples.length > 0
          ? { examples: c.examples.map((payload, i) => ({ name: `example-${i + 1}`, payload })) }
          : {}),
      },
    ]),
  );

  const channels = byName(
    topics.map((topic) => {
      const types = contracts.filter((c) => c.topic === topic).map((c) => c.type).sort();
      return [
        topic,
        {
          address: topic,
          description: `Kafka topic ${topic}, keyed by aggregate id. Messages: ${types.join(', ')}.`,
          messages: byName(types.map((t) => [t, { $ref: `#/components/messages/${escape(t)}` }])),
          bindings: { kafka: { topic, bindingVersion: KAFKA_BINDING_VERSION } },
        },
      ];
    }),
  );

  const operations = byName(
    topics.map((topic) => {
      const types = contracts.filter((c) => c.topic === topic).map((c) => c.type).sort();
      return [
        `${action}.${topic}`,
        {
          action,
          channel: { $ref: `#/channels/${escape(topic)}` },
          messages: types.map((t) => ({ $ref: `#/channels/${escape(topic)}/messages/${escape(t)}` })),
        },
      ];
    }),
  );

  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    ...(options.servers
      ? {
          servers: byName(
            Object.entries(options.servers).map(([name, s]) => [
              name,
              { host: s.host, protocol: 'kafka', ...(s.description ? { description: s.description } : {}) },
            ]),
          ),
        }
      : {}),
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
