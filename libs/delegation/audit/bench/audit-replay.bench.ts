/*
 * npm run bench -- audit-replay
 *
 * As-of replay (`replayStateAt`: readAll pages through the event-store port, fold with the
 * domain's evolve functions) against the physical limit of reading the same events: one raw
 * better-sqlite3 prepared statement iterating every row in position order and parsing its data
 * JSON. Both read the same file, read-only, with a warm page cache; the ratio is events/s of the
 * replay over events/s of the raw read.
 *
 * The store holds ≥ 1,000,000 realistic events (catalogue, directory, and mandate lifecycles made
 * by the real deciders, hash-chained by HashChainedEventStore). Generating it takes a while, so
 * the file is cached in the OS temp directory under a version key and reused; generation runs in
 * a child process so that the peak RSS measured here is the replay's, not the generator's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HashChainedEventStore, replayStateAt, scanAll, type ReplayedState } from '@leadership/delegation-audit';
import { appendStreams, directoryStreams, mandateStreams, type WorldOptions } from '@leadership/delegation-audit/testing';
import { SqliteEventStore } from '@leadership/event-store';
import { reportBench } from '@leadership/testing';

/** Bump when the generator or the store layout changes: the cached file is then rebuilt. */
const DATASET_VERSION = 'v1';
/** At least this many events; AUDIT_REPLAY_BENCH_EVENTS may lower it for a quick trial run. */
const TARGET_EVENTS = Number(process.env['AUDIT_REPLAY_BENCH_EVENTS'] ?? 1_000_000);
const WORLD: WorldOptions = { seed: 20250101, start: '2023-01-01T00:00:00Z', units: 500, peoplePerUnit: 10, proposalSpacingHours: 0.3 };
/** Replay after the last event: every event is folded (the most work an as-of query can cause). */
const AFTER_EVERYTHING = '2100-01-01T00:00:00Z';
/** Replay halfway through the history: later events of each stream are skipped. */
const HALFWAY = '2024-06-01T00:00:00Z';
const ROUNDS = 2;

const datasetFile = join(tmpdir(), `audit-replay-bench-${DATASET_VERSION}-${TARGET_EVENTS}.sqlite`);
const doneMarker = `${datasetFile}.done`;

async function generate(): Promise<void> {
  const partial = `${datasetFile}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const store = new HashChainedEventStore(new SqliteEventStore(partial, { synchronous: 'NORMAL' }));
  let events = await appendStreams(store, directoryStreams(WORLD));
  let mandates = 0;
  let lastReport = started;
  while (events < TARGET_EVENTS) {
    events += await appendStreams(store, mandateStreams(WORLD, 1_000, mandates));
    mandates += 1_000;
    if (performance.now() - lastReport > 2_000) {
      lastReport = performance.now();
      process.stderr.write(`  generating: ${events.toLocaleString('en-US')} events (${Math.round((events * 1000) / (lastReport - started)).toLocaleString('en-US')} events/s)\n`);
    }
  }
  await store.close();
  renameSync(partial, datasetFile);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(doneMarker, JSON.stringify({ events, mandates, seconds }));
  console.log(`  generated ${events.toLocaleString('en-US')} events (${mandates} mandates) in ${seconds.toFixed(1)} s`);
}

/** Physical limit: every row in position order through one prepared statement, data parsed. */
function rawRead(file: string): { events: number; seconds: number } {
  const db = new Database(file, { readonly: true });
  const started = performance.now();
  let events = 0;
  let checksum = 0;
  for (const row of db.prepare<[], { position: number; stream_name: string; type: string; data: string }>('SELECT position, stream_name, type, data FROM events ORDER BY position').iterate()) {
    const data = JSON.parse(row.data) as { at?: string };
    // Use what was read, so the work cannot be optimised away.
    checksum += (data.at?.length ?? 0) + row.type.length;
    events++;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  if (checksum === 0) throw new Error('raw read saw no data');
  return { events, seconds };
}

async function replay(file: string, at: string): Promise<{ events: number; seconds: number; peakRss: number; state: ReplayedState }> {
  const store = SqliteEventStore.openReadOnly(file);
  let peakRss = process.memoryUsage.rss();
  const started = performance.now();
  const state = await replayStateAt(store, at, {
    progressIntervalMs: 100,
    onProgress: () => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    },
  });
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  await store.close();
  return { events: state.stats.eventsRead, seconds, peakRss, state };
}

/** The port's share of the replay: the same readAll pages, nothing folded. */
async function portRead(file: string): Promise<{ events: number; seconds: number }> {
  const store = SqliteEventStore.openReadOnly(file);
  const started = performance.now();
  const progress = await scanAll(store, {}, () => undefined);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { events: progress.eventsRead, seconds };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  if (process.argv.includes('--generate')) return generate();
  let generationSeconds: number | undefined;
  if (!existsSync(doneMarker) || !existsSync(datasetFile)) {
    console.log(`  no cached dataset at ${datasetFile}; generating it (once per machine and dataset version)…`);
    // Child process: the generator's heap must not count towards the replay's peak RSS.
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--generate'], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error('dataset generation failed');
    generationSeconds = (JSON.parse(readFileSync(doneMarker, 'utf8')) as { seconds: number }).seconds;
  } else {
    console.log(`  reusing cached dataset ${datasetFile} (delete it or bump DATASET_VERSION to regenerate)`);
  }
  const sizeMb = statSync(datasetFile).size / 1024 / 1024;
  // Warm the page cache once so neither side pays the first read from disk.
  rawRead(datasetFile);

  const raw: number[] = [];
  const full: number[] = [];
  const half: number[] = [];
  const port: number[] = [];
  let peakRss = 0;
  let events = 0;
  let state: ReplayedState | undefined;
  const rssBefore = process.memoryUsage.rss();
  // Baseline and candidates alternate, so that both see the same machine load.
  for (let round = 1; round <= ROUNDS; round++) {
    gc();
    const baseline = rawRead(datasetFile);
    raw.push(baseline.events / baseline.seconds);
    events = baseline.events;
    gc();
    const candidate = await replay(datasetFile, AFTER_EVERYTHING);
    if (candidate.events !== baseline.events) throw new Error(`replay read ${candidate.events} events, raw read ${baseline.events}`);
    full.push(candidate.events / candidate.seconds);
    peakRss = Math.max(peakRss, candidate.peakRss);
    state = candidate.state;
    gc();
    const partial = await replay(datasetFile, HALFWAY);
    half.push(partial.events / partial.seconds);
    peakRss = Math.max(peakRss, partial.peakRss);
    gc();
    const read = await portRead(datasetFile);
    port.push(read.events / read.seconds);
    console.log(
      `  round ${round}: raw ${Math.round(baseline.events / baseline.seconds)} events/s, replay ${Math.round(candidate.events / candidate.seconds)}, ` +
        `halfway ${Math.round(partial.events / partial.seconds)}, port read only ${Math.round(read.events / read.seconds)}`,
    );
  }
  const best = (values: readonly number[]): number => Math.max(...values);
  const baseline = best(raw);
  const candidate = best(full);
  const row = (name: string, value: number) => ({ case: name, unit: 'events/s', baseline, candidate: value, ratio: value / baseline });
  reportBench({
    name: 'audit-replay',
    unit: 'events/s',
    baseline,
    candidate,
    ratio: candidate / baseline,
    target: 0.5,
    cases: [
      row(`replay after everything (${AFTER_EVERYTHING})`, candidate),
      row(`replay halfway (${HALFWAY})`, best(half)),
      row('port readAll pages only, no fold (ceiling)', best(port)),
    ],
    extra: {
      events,
      mandates: state?.mandates.size ?? 0,
      people: state?.people.size ?? 0,
      units: state?.units.size ?? 0,
      'dataset MB': Number(sizeMb.toFixed(1)),
      'generation s (this run)': generationSeconds === undefined ? 'cached' : Number(generationSeconds.toFixed(1)),
      'peak RSS MB (replay)': Math.round(peakRss / 1024 / 1024),
      'RSS MB before replays': Math.round(rssBefore / 1024 / 1024),
      'max RSS MB (process)': Math.round(process.resourceUsage().maxRSS / 1024),
      rounds: ROUNDS,
    },
    notes:
      'Baseline: raw better-sqlite3 .iterate() over all rows in position order with JSON.parse(data). Candidate: replayStateAt through ' +
      'SqliteEventStore.readAll pages (data and metadata parsed, bigint positions) folding mandates, units, people and task types ' +
      'with the domain evolve functions. "port readAll only" is the same scan without folding: the ceiling of any replay through ' +
      'the port. Best of rounds; page cache warm.',
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
