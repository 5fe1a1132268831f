import { randomUUID } from 'node:crypto';
import { DelegationRelayProgress } from '@leadership/delegation-contracts';
import { encodeCloudEvent, type RelayProgressOptions } from '@leadership/messaging-kafka';

/**
 * The delegation relay's progress reports (`DelegationRelayProgress` on its own topic), every
 * `everyMs`: what the other services' authority projections measure their staleness against.
 * The interval adds to the staleness they reckon (about one interval on average), so keep it a
 * small part of their freshness bound (100 ms against 1 s).
 */
export function delegationRelayProgress(everyMs: number): RelayProgressOptions {
  return {
    everyMs,
    message: (coveredUntil, position) =>
      encodeCloudEvent(DelegationRelayProgress, {
        id: randomUUID(),
        time: coveredUntil.toISOString(),
        data: { coveredUntil: coveredUntil.toISOString(), position: position?.toString() ?? null, relay: 'delegation' },
      }),
  };
}
