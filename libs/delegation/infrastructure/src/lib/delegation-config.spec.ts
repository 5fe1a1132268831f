import { delegationConfigFromEnv } from './delegation-config';

describe('delegation configuration', () => {
  it('runs scheduler and relay in the workers and all roles only', () => {
    expect(delegationConfigFromEnv({}, '/w')).toMatchObject({ schedulerIntervalMs: 1000, relayEnabled: true, port: 3001 });
    expect(delegationConfigFromEnv({ DELEGATION_ROLE: 'api' }, '/w')).toMatchObject({ schedulerIntervalMs: 0, relayEnabled: false });
    expect(delegationConfigFromEnv({ DELEGATION_ROLE: 'workers', DELEGATION_RELAY: 'off' }, '/w')).toMatchObject({ schedulerIntervalMs: 1000, relayEnabled: false });
  });

  it('rejects unknown roles and malformed numbers', () => {
    expect(() => delegationConfigFromEnv({ DELEGATION_ROLE: 'boss' }, '/w')).toThrow(/DELEGATION_ROLE/);
    expect(() => delegationConfigFromEnv({ PORT: 'abc' }, '/w')).toThrow(/PORT/);
  });
});
