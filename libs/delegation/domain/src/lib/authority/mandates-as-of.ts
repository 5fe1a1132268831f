import { isBefore } from '../shared/instant';
import type { MandateEvent } from '../mandate/mandate.events';
import type { MandateSnapshot } from '../mandate/mandate.queries';
import { evolveMandate, type MandateState } from '../mandate/mandate.state';

/**
 * The state of every mandate as of instant `asOf`, from the events of all mandate streams in an
 * order that keeps each stream's own order (e.g. the global log). Each stream is folded up to its
 * first event recorded after `asOf`: a state is always a prefix of its stream, so a later event
 * with an earlier time (clock skew between writers) cannot be slipped in before its predecessors.
 * `version` is the stream revision of the last event applied.
 */
export function mandatesAsOf(events: readonly MandateEvent[], asOf: string): MandateSnapshot[] {
  const streams = new Map<string, { state: MandateState; version: number; closed: boolean }>();
  for (const event of events) {
    const id = event.data.mandateId;
    const stream = streams.get(id) ?? { state: { status: 'none' } as MandateState, version: -1, closed: false };
    streams.set(id, stream);
    if (stream.closed) continue;
    if (isBefore(asOf, event.data.at)) {
      stream.closed = true;
      continue;
    }
    stream.state = evolveMandate(stream.state, event);
    stream.version += 1;
  }
  const result: MandateSnapshot[] = [];
  for (const { state, version } of streams.values()) {
    if (state.status !== 'none') result.push({ ...state, version });
  }
  return result;
}
