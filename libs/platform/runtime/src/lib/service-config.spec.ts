import { ConfigError, serviceConfigFromEnv } from './service-config';

const options = { defaultPort: 3002, workspaceRoot: '/repo' };

describe('serviceConfigFromEnv', () => {
  it('defaults to the local stack: SQLite under .local/data/<name>, local Mongo and Kafka', () => {
    expect(serviceConfigFromEnv('case-distribution', options, {})).toEqual({
      serviceName: 'case-distribution',
      host: '127.0.0.1',
      port: 3002,
      eventStore: { kind: 'sqlite', file: '/repo/.local/data/case-distribution/events.sqlite' },
      mongoUri: 'mongodb://127.0.0.1:27017/',
      mongoDb: 'leadership_case_distribution',
      kafkaBrokers: ['127.0.0.1:9092'],
    });
  });

  it("reads the service's own variables before the shared ones", () => {
    const config = serviceConfigFromEnv('case-distribution', options, {
      PORT: '4000',
      CASE_DISTRIBUTION_PORT: '4100',
      CASE_DISTRIBUTION_EVENT_STORE: 'data/x.sqlite',
      CASE_DISTRIBUTION_MONGO_DB: 'cd',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config).toMatchObject({ port: 4100, eventStore: { kind: 'sqlite', file: '/repo/data/x.sqlite' }, mongoDb: 'cd', kafkaBrokers: ['a:9092', 'b:9093'] });
  });

  it('reads Kafka TLS and SASL settings, and refuses an unauthenticated client in production unless told to accept it', () => {
    const secured = serviceConfigFromEnv('onboarding', options, {
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: '/etc/kafka/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'onboarding',
      KAFKA_SASL_PASSWORD: 's3cret',
      NODE_ENV: 'production',
    });
    expect(secured.kafkaSecurity).toEqual({ tls: { caFile: '/etc/kafka/ca.crt' }, sasl: { mechanism: 'scram-sha-512', username: 'onboarding', password: 's3cret' } });
    expect(() => serviceConfigFromEnv('onboarding', options, { NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs an authenticated Kafka client/);
    expect(serviceConfigFromEnv('onboarding', options, { NODE_ENV: 'production', KAFKA_ALLOW_UNAUTHENTICATED: 'true' }).kafkaSecurity).toBeUndefined();
  });

  it.each([
    [{ KAFKA_TLS: 'yes' }, /KAFKA_TLS must be true or false/],
    [{ KAFKA_TLS_CA_FILE: '/ca.crt' }, /KAFKA_TLS is not true/],
    [{ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /KAFKA_SASL_MECHANISM must be one of/],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }, /needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /sends the password in clear/],
  ])('refuses Kafka security settings that cannot work: %j', (env, message) => {
    expect(() => serviceConfigFromEnv('onboarding', options, env)).toThrow(message);
  });

  it('uses EventStoreDB when a connection string is configured', () => {
    expect(serviceConfigFromEnv('onboarding', options, { EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false' }).eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://127.0.0.1:2113?tls=false',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT=abc must be an integer/],
    [{ ONBOARDING_PORT: '70000' }, /between 0 and 65535/],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://x' }, /must start with esdb:\/\//],
    [{ MONGO_URI: 'localhost:27017' }, /MONGO_URI must start with mongodb:\/\//],
    [{ KAFKA_BROKERS: 'broker' }, /KAFKA_BROKERS must be host:port/],
  ])('refuses %j with a message that names the variable', (env, message) => {
    expect(() => serviceConfigFromEnv('onboarding', options, env)).toThrow(ConfigError);
    expect(() => serviceConfigFromEnv('onboarding', options, env)).toThrow(message);
  });

  it('refuses a service name that is not kebab-case', () => {
    expect(() => serviceConfigFromEnv('Case_Distribution', options, {})).toThrow(/kebab-case/);
  });
});
