import type { StartedTestContainer } from 'testcontainers';
import { freePort } from './service-process';
import type { TestInfra } from './test-infra';

/** Same versions as docker-compose.yml. */
export const IMAGES = {
  kafka: 'apache/kafka:4.1.1',
  mongo: 'mongo:8.0',
  mailpit: 'axllent/mailpit:v1.33.1',
  eventStoreDb: 'eventstore/eventstore:24.10',
} as const;

/**
 * Starts Kafka, MongoDB, Mailpit and EventStoreDB with testcontainers. Kafka advertises the host
 * port it is published on, so the port is chosen first and mapped 1:1.
 */
export async function startContainers(): Promise<{ infra: TestInfra; containers: StartedTestContainer[] }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const kafkaPort = await freePort();
  const [kafka, mongo, mailpit, esdb] = await Promise.all([
    new GenericContainer(IMAGES.kafka)
      .withExposedPorts({ container: kafkaPort, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${kafkaPort},CONTROLLER://localhost:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_NUM_PARTITIONS: '3',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new MongoDBContainer(IMAGES.mongo).start(),
    new GenericContainer(IMAGES.mailpit).withExposedPorts(1025, 8025).withWaitStrategy(Wait.forHttp('/livez', 8025)).start(),
    new GenericContainer(IMAGES.eventStoreDb)
      .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None', EVENTSTORE_MEM_DB: 'true' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
      .start(),
  ]);
  const infra: TestInfra = {
    mode: 'containers',
    kafka: { brokers: [`127.0.0.1:${kafkaPort}`] },
    mongo: { uri: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/?directConnection=true` },
    smtp: { host: mailpit.getHost(), port: mailpit.getMappedPort(1025) },
    mailpit: { apiUrl: `http://${mailpit.getHost()}:${mailpit.getMappedPort(8025)}` },
    eventStoreDb: { connectionString: `esdb://${esdb.getHost()}:${esdb.getMappedPort(2113)}?tls=false` },
  };
  return { infra, containers: [kafka, mongo, mailpit, esdb] };
}
