import { delegationConfigFromEnv } from './delegation.config';

const dev = { AUTH_MODE: 'dev' };

describe('delegation configuration', () => {
  it('reads the common service settings under the DELEGATION_ prefix', () => {
    expect(delegationConfigFromEnv({ ...dev, DELEGATION_PORT: '4001', DELEGATION_MONGO_DB: 'd' }, '/w')).toMatchObject({
      serviceName: 'delegation',
      port: 4001,
      mongoDb: 'd',
      eventStore: { kind: 'sqlite', file: '/w/.local/data/delegation/events.sqlite' },
      auth: { mode: 'dev' },
    });
  });

  it('runs scheduler and relay in the workers and all roles only', () => {
    expect(delegationConfigFromEnv(dev, '/w')).toMatchObject({ schedulerIntervalMs: 1000, relayEnabled: true, port: 3001 });
    expect(delegationConfigFromEnv({ ...dev, DELEGATION_ROLE: 'api' }, '/w')).toMatchObject({ schedulerIntervalMs: 0, relayEnabled: false });
    expect(delegationConfigFromEnv({ ...dev, DELEGATION_ROLE: 'workers', DELEGATION_RELAY: 'off' }, '/w')).toMatchObject({ schedulerIntervalMs: 1000, relayEnabled: false });
  });

  it('rejects unknown roles, malformed numbers and a missing auth setup, naming the variable', () => {
    expect(() => delegationConfigFromEnv({ ...dev, DELEGATION_ROLE: 'boss' }, '/w')).toThrow(/DELEGATION_ROLE/);
    expect(() => delegationConfigFromEnv({ ...dev, PORT: 'abc' }, '/w')).toThrow(/PORT/);
    expect(() => delegationConfigFromEnv({}, '/w')).toThrow(/AUTH_MODE=dev/);
  });
});
