/*
 * npm run bench -- event-store-append
 *
 * Our SQLite append path (validation, optimistic concurrency check, idempotency by constraint,
 * one IMMEDIATE transaction per append) against the physical limit: a raw better-sqlite3 prepared
 * INSERT of the same rows into the same table, with the same pragmas and the same durability (one
 * commit per append). Two batch sizes (1 and 100 events per append), each at synchronous=FULL
 * (the store's default, what the target is about) and at NORMAL (no fsync per commit, so the CPU
 * cost of our path shows instead of the disk's).
 *
 * The two sides alternate append by append, on files of their own: a commit at FULL costs an
 * fsync whose latency swings by 2-3x on a shared machine from one second to the next, and only
 * interleaving this fine makes both sides see the same disk.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type NewEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { reportBench, type BenchCase } from '@leadership/testing';

/** Append time per side and case: bounds the whole run to about 25 s. */
const CASE_MS = 2_500;
const WARMUP_MS = 200;
const STREAMS = 100;

interface Mode {
  readonly name: string;
  readonly batchSize: number;
  readonly synchronous: 'FULL' | 'NORMAL';
  /** Whether the mode counts towards the overall ratio (the durable default does). */
  readonly overall: boolean;
}
const MODES: readonly Mode[] = [
  { name: 'single-event appends', batchSize: 1, synchronous: 'FULL', overall: true },
  { name: '100-event batches', batchSize: 100, synchronous: 'FULL', overall: true },
  { name: 'single-event appends (NORMAL, CPU-bound)', batchSize: 1, synchronous: 'NORMAL', overall: false },
  { name: '100-event batches (NORMAL, CPU-bound)', batchSize: 100, synchronous: 'NORMAL', overall: false },
];

/** A realistic event: a mandate granted, ~300 bytes of JSON with full metadata. */
function makeEvent(): NewEvent {
  return {
    type: 'MandateGranted',
    data: {
      mandateId: randomUUID(),
      delegatorId: randomUUID(),
      delegateId: randomUUID(),
      taskTypes: ['approve-leave', 'sign-contract'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      limits: { amount: 10_000, currency: 'EUR' },
    },
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: 'person-42', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };
}

/** Where each stream is: the writer's view of the next expected revision. */
class Streams {
  private readonly names = Array.from({ length: STREAMS }, (_, i) => `mandate-${randomUUID()}-${i}`);
  private readonly revisions = new Array<number>(STREAMS).fill(-1);
  private next = 0;
  take(): { name: string; expected: number; index: number } {
    const index = this.next++ % STREAMS;
    return { name: this.names[index] as string, expected: this.revisions[index] as number, index };
  }
  advance(index: number, by: number): void {
    this.revisions[index] = (this.revisions[index] as number) + by;
  }
}

interface Runner {
  /** Appends one batch; resolves when it is durable. */
  append(events: readonly NewEvent[]): Promise<void> | void;
  close(): Promise<void> | void;
}

function candidate(file: string, synchronous: Mode['synchronous']): Runner {
  const store = new SqliteEventStore(file, { synchronous });
  const streams = new Streams();
  return {
    async append(events) {
      const stream = streams.take();
      await store.appendToStream(stream.name, events, stream.expected < 0 ? 'no_stream' : stream.expected);
      streams.advance(stream.index, events.length);
    },
    close: () => store.close(),
  };
}

function baseline(file: string, synchronous: Mode['synchronous']): Runner {
  // The same table and indexes, created by the store, then written without it.
  new SqliteEventStore(file).close();
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  const insert = db.prepare(
    'INSERT INTO events (stream_name, stream_category, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertBatch = db.transaction((stream: string, first: number, events: readonly NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewEvent;
      insert.run(stream, 'mandate', first + i, event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
    }
  });
  const streams = new Streams();
  return {
    append(events) {
      const stream = streams.take();
      insertBatch(stream.name, stream.expected + 1, events);
      streams.advance(stream.index, events.length);
    },
    close() {
      db.close();
    },
  };
}

interface Side {
  readonly runner: Runner;
  elapsedNs: bigint;
  events: number;
  readonly latencies: number[];
}

/** Appends on both sides in turn until each has spent `ms` appending; returns events/s per side. */
async function measure(sides: readonly [Side, Side], batchSize: number, ms: number): Promise<void> {
  // Events are made outside the timed part, the same way for both sides; ids must be fresh.
  const poolEvents = 10_000;
  const makePool = (): NewEvent[][] => Array.from({ length: Math.max(1, poolEvents / batchSize) }, () => Array.from({ length: batchSize }, makeEvent));
  const pools = [makePool(), makePool()];
  let next = 0;
  const budget = BigInt(ms) * 1_000_000n;
  for (let turn = 0; sides[0].elapsedNs < budget || sides[1].elapsedNs < budget; turn++) {
    if (next === (pools[0] as NewEvent[][]).length) {
      pools[0] = makePool();
      pools[1] = makePool();
      next = 0;
    }
    // Alternate who goes first, so neither always appends right after the other's fsync.
    for (const index of turn % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = sides[index] as Side;
      const before = process.hrtime.bigint();
      await side.runner.append((pools[index] as NewEvent[][])[next] as NewEvent[]);
      const took = process.hrtime.bigint() - before;
      side.elapsedNs += took;
      side.events += batchSize;
      side.latencies.push(Number(took) / 1e6);
    }
    next++;
  }
}

const rate = (side: Side): number => side.events / (Number(side.elapsedNs) / 1e9);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const geometricMean = (values: readonly number[]): number => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-bench-'));
  const cases: (BenchCase & { readonly overall: boolean })[] = [];
  const extra: Record<string, number | string> = { 'ms per side and case': CASE_MS, 'journal mode': 'WAL', 'streams written': STREAMS };
  try {
    for (const mode of MODES) {
      const file = (side: string): string => join(dir, `${side}-${mode.batchSize}-${mode.synchronous}.sqlite`);
      const make = (): [Side, Side] => [
        { runner: baseline(file(`baseline-${randomUUID()}`), mode.synchronous), elapsedNs: 0n, events: 0, latencies: [] },
        { runner: candidate(file(`candidate-${randomUUID()}`), mode.synchronous), elapsedNs: 0n, events: 0, latencies: [] },
      ];
      const warmup = make();
      await measure(warmup, mode.batchSize, WARMUP_MS);
      for (const side of warmup) await side.runner.close();
      (globalThis as { gc?: () => void }).gc?.();

      const [base, cand] = make();
      await measure([base, cand], mode.batchSize, CASE_MS);
      await base.runner.close();
      await cand.runner.close();
      cases.push({ case: mode.name, unit: 'events/s', baseline: rate(base), candidate: rate(cand), ratio: rate(cand) / rate(base), overall: mode.overall });
      for (const [label, side] of [
        ['baseline', base],
        ['candidate', cand],
      ] as const) {
        extra[`${mode.name}: ${label} p50 ms/append`] = Number(percentile(side.latencies, 50).toFixed(3));
        extra[`${mode.name}: ${label} p99 ms/append`] = Number(percentile(side.latencies, 99).toFixed(3));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const counted = cases.filter((c) => c.overall);
  const baselineOverall = geometricMean(counted.map((c) => c.baseline));
  const candidateOverall = geometricMean(counted.map((c) => c.candidate));
  reportBench({
    name: 'event-store-append',
    unit: 'events/s',
    baseline: baselineOverall,
    candidate: candidateOverall,
    ratio: candidateOverall / baselineOverall,
    target: 0.8,
    cases: cases.map(({ overall: _overall, ...row }) => row),
    extra,
    notes:
      'Baseline: raw better-sqlite3 prepared INSERT of the same rows (same table and indexes, WAL, one commit per append). ' +
      'Candidate: SqliteEventStore.appendToStream with a numeric expected revision. Sides alternate append by append. ' +
      'Overall = geometric mean of the two synchronous=FULL cases (the durable default); the NORMAL cases show the CPU cost of the adapter.',
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
