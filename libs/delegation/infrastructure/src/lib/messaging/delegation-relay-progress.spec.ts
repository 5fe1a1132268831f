import { DELEGATION_RELAY_PROGRESS_TOPIC, DelegationRelayProgress } from '@leadership/delegation-contracts';
import { decodeCloudEvent } from '@leadership/messaging-kafka';
import { IntegrationEventRegistry } from '@leadership/messaging-contracts';
import { delegationRelayProgress } from './delegation-relay-progress';

describe('delegationRelayProgress', () => {
  it('makes a DelegationRelayProgress CloudEvent on its topic, with the moment and the position', () => {
    const progress = delegationRelayProgress(100);
    expect(progress.everyMs).toBe(100);
    const message = progress.message(new Date('2026-01-01T10:00:00.100Z'), 48213n);
    expect(message).toMatchObject({ topic: DELEGATION_RELAY_PROGRESS_TOPIC, key: 'delegation' });
    const event = decodeCloudEvent(new IntegrationEventRegistry([DelegationRelayProgress]), message);
    expect(event.data).toEqual({ coveredUntil: '2026-01-01T10:00:00.100Z', position: '48213', relay: 'delegation' });
    expect(progress.message(new Date('2026-01-01T10:00:00.200Z'), undefined).value).toContain('"position":null');
  });
});
