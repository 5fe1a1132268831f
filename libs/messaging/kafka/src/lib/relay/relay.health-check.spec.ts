import type { RelayStatus } from './event-store-kafka.relay';
import { relayHealthCheck } from './relay.health-check';

const status = (over: Partial<RelayStatus>): RelayStatus => ({ state: 'running', checkpoint: 41n, caughtUp: true, publishedEvents: 7, ...over });

describe('relayHealthCheck', () => {
  it('is up while the relay runs or retries, with its checkpoint and progress', async () => {
    await expect(relayHealthCheck({ status: () => status({}) }).check()).resolves.toEqual({ state: 'running', checkpoint: '41', caughtUp: true, publishedEvents: 7 });
    await expect(relayHealthCheck({ status: () => status({ state: 'retrying', lastError: 'broker down' }) }).check()).resolves.toMatchObject({ state: 'retrying', lastError: 'broker down' });
    await expect(relayHealthCheck({ status: () => status({ progressCoveredUntil: '2030-01-01T00:00:00.000Z' }) }).check()).resolves.toMatchObject({ progressCoveredUntil: '2030-01-01T00:00:00.000Z' });
  });

  it('is down, saying why, when the relay failed (a mapping defect) or stopped', async () => {
    await expect(relayHealthCheck({ status: () => status({ state: 'failed', lastError: 'mapping MandateAccepted failed' }) }).check()).rejects.toThrow('relay is failed: mapping MandateAccepted failed');
    await expect(relayHealthCheck({ status: () => status({ state: 'stopped' }) }).check()).rejects.toThrow('relay is stopped');
  });
});
