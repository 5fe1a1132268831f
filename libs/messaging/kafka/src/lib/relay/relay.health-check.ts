import type { RelayStatus } from './event-store-kafka.relay';

/** A named /health check (the platform's HealthCheckSpec shape; details are shown under its name). */
export interface RelayHealthCheck {
  readonly name: string;
  check(): Promise<Readonly<Record<string, unknown>>>;
}

/**
 * Down when the relay gave up (a mapping defect: retrying cannot fix it, and nothing after the
 * failing event is published) or was stopped; up while it runs or retries a broker outage, with
 * its checkpoint and whether it caught up, so lag is visible (and, with progress reports on, the
 * moment the latest one vouches for).
 */
export function relayHealthCheck(relay: { status(): RelayStatus }, name = 'relay'): RelayHealthCheck {
  return {
    name,
    async check() {
      const status = relay.status();
      if (status.state === 'failed' || status.state === 'stopped') {
        throw new Error(`relay is ${status.state}${status.lastError ? `: ${status.lastError}` : ''}`);
      }
      return { state: status.state, checkpoint: status.checkpoint?.toString() ?? null, caughtUp: status.caughtUp, publishedEvents: status.publishedEvents, ...(status.lastError ? { lastError: status.lastError } : {}), ...(status.progressCoveredUntil !== undefined ? { progressCoveredUntil: status.progressCoveredUntil } : {}) };
    },
  };
}
