import { randomUUID } from 'node:crypto';
import { type NewEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { HashChainedEventStore } from '../lib/integrity/hash-chained-event-store';

/** Shape of the sample log: any service's history looks like this to the audit library. */
export interface SampleLogOptions {
  /** Multi-event streams (`order-<n>`, 3 to 6 events each). */
  readonly orders: number;
  /** Single-event streams (`catalog-<n>`). */
  readonly catalogItems: number;
  /** Domain time of the first event; later events follow hour by hour. Default 2025-01-01T00:00:00Z. */
  readonly start?: string;
}

/** One entry of the log, in the order it is appended. */
export interface SampleLogEntry {
  readonly streamName: string;
  readonly event: NewEvent;
}

const HOUR = 3_600_000;
const ORDER_STEPS = ['OrderPlaced', 'OrderPaid', 'OrderPacked', 'OrderShipped', 'OrderDelivered', 'OrderReviewed'] as const;

/**
 * A small, context-free history: order streams of several events and catalogue streams of one,
 * interleaved as a live system would have appended them (round robin over the open streams),
 * each event with an actor, a correlation id and its domain time in `data.at`. Deterministic
 * except for the event ids.
 */
export function sampleEventLog(options: SampleLogOptions): SampleLogEntry[] {
  let time = Date.parse(options.start ?? '2025-01-01T00:00:00Z');
  const log: SampleLogEntry[] = [];
  const event = (type: string, data: Record<string, unknown>, actor: string): NewEvent => {
    time += HOUR;
    return {
      type,
      data: { ...data, at: new Date(time).toISOString() },
      metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor },
    };
  };
  for (let i = 0; i < options.catalogItems; i++) {
    log.push({
      streamName: `catalog-${i}`,
      event: event(
        'CatalogItemDefined',
        {
          itemId: `item-${i}`,
          title: `Item "${i}", with, commas`,
          price: 10 + i,
        },
        'admin-1',
      ),
    });
  }
  // Order n has 3 + n % 4 steps; every round appends the next step of each open order.
  for (let step = 0; step < ORDER_STEPS.length; step++) {
    for (let n = 0; n < options.orders; n++) {
      if (step >= 3 + (n % 4)) continue;
      const type = ORDER_STEPS[step] as string;
      log.push({
        streamName: `order-${n}`,
        event: event(
          type,
          {
            orderId: `o-${n}`,
            step,
            lines: [
              {
                item: `item-${n % Math.max(1, options.catalogItems)}`,
                quantity: 1 + (n % 3),
              },
            ],
          },
          `clerk-${n % 3}`,
        ),
      });
    }
  }
  return log;
}

/**
 * Writes the sample log to a new hash-chained SQLite store at `file`, one append per event with
 * the exact expected revision, and closes it (checkpointing the WAL, so a plain copy of the file
 * holds every event).
 */
export async function writeSampleStore(file: string, options: SampleLogOptions): Promise<{ readonly log: readonly SampleLogEntry[] }> {
  const log = sampleEventLog(options);
  const store = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
  const revisions = new Map<string, number>();
  try {
    for (const { streamName, event } of log) {
      const result = await store.appendToStream(streamName, [event], revisions.get(streamName) ?? 'no_stream');
      revisions.set(streamName, result.nextExpectedRevision);
    }
  } finally {
    await store.close();
  }
  return { log };
}
