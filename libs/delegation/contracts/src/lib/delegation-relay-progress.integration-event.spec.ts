import { DelegationRelayProgress, DELEGATION_RELAY_PROGRESS_TOPIC } from './delegation-relay-progress.integration-event';

describe('DelegationRelayProgress (v1)', () => {
  const report = { coveredUntil: '2026-01-01T10:00:00.100Z', position: '48213', relay: 'delegation' };

  it('is its own topic, keyed by the relay', () => {
    expect(DelegationRelayProgress.topic).toBe(DELEGATION_RELAY_PROGRESS_TOPIC);
    expect(DelegationRelayProgress.keyOf(DelegationRelayProgress.parse(report))).toBe('delegation');
  });

  it('reads a report, and one of an empty store (no position)', () => {
    expect(DelegationRelayProgress.parse(report)).toEqual(report);
    expect(DelegationRelayProgress.parse({ ...report, position: null })).toEqual({ ...report, position: null });
  });

  it('refuses a moment that is not an instant, a position that is not a decimal integer, another relay and unknown fields', () => {
    expect(DelegationRelayProgress.safeParse({ ...report, coveredUntil: 'yesterday' }).success).toBe(false);
    expect(DelegationRelayProgress.safeParse({ ...report, position: '-1' }).success).toBe(false);
    expect(DelegationRelayProgress.safeParse({ ...report, relay: 'onboarding' }).success).toBe(false);
    expect(DelegationRelayProgress.safeParse({ ...report, lag: 0 }).success).toBe(false);
  });
});
