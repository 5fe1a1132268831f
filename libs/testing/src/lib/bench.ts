import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The result file every benchmark writes to bench/results/<name>.json. `baseline` is a
 * physical-limit measurement (raw insert, raw producer, bare route) taken in the same run, so
 * the ratio means the same on any machine.
 */
export interface BenchResult {
  readonly name: string;
  /** Unit of baseline and candidate, e.g. "events/s". Higher is better unless stated in `notes`. */
  readonly unit: string;
  readonly baseline: number;
  readonly candidate: number;
  /** candidate / baseline. */
  readonly ratio: number;
  /** Target ratio from the issue, when there is one. */
  readonly target?: number;
  /** Further rows (per case) and figures such as p99 latency. */
  readonly cases?: readonly BenchCase[];
  readonly extra?: Readonly<Record<string, number | string>>;
  readonly notes?: string;
  readonly measuredAt: string;
  readonly machine: { readonly cpus: number; readonly node: string };
}

export interface BenchCase {
  readonly case: string;
  readonly unit: string;
  readonly baseline: number;
  readonly candidate: number;
  readonly ratio: number;
}

export function benchResultsDir(): string {
  return resolve(__dirname, '../../../../bench/results');
}

/** Prints the table and writes the JSON file; returns the file path. */
export function reportBench(result: Omit<BenchResult, 'measuredAt' | 'machine'>): string {
  const full: BenchResult = {
    ...result,
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
  };
  const rows = [
    ...(result.cases ?? []),
    { case: 'overall', unit: result.unit, baseline: result.baseline, candidate: result.candidate, ratio: result.ratio },
  ];
  console.log(`\n${result.name}${result.target !== undefined ? ` (target ratio ≥ ${result.target})` : ''}`);
  console.table(
    rows.map((r) => ({
      case: r.case,
      unit: r.unit,
      baseline: Number(r.baseline.toFixed(1)),
      candidate: Number(r.candidate.toFixed(1)),
      ratio: Number(r.ratio.toFixed(3)),
    })),
  );
  if (result.extra) console.table(result.extra);
  mkdirSync(benchResultsDir(), { recursive: true });
  const file = join(benchResultsDir(), `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`written ${file}`);
  return file;
}
