import { spawnSync } from 'node:child_process';
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

/** The p-th percentile (nearest rank) of the values; 0 for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The median; with an odd number of rounds it is one round's own figure. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Rounds a figure for the result file: 3 significant decimals are all a shared machine supports. */
export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

/** Any decorator makes TypeScript emit `design:paramtypes` for the class's constructor, when the compiler emits metadata at all. */
const probeDecorator: ClassDecorator = () => undefined;

@probeDecorator
class DecoratorMetadataProbe {
  constructor(readonly clock: Date) {}
}

/**
 * Nest resolves constructor parameters from TypeScript's emitted decorator metadata, and the
 * bench runner starts benches with tsx, whose esbuild emits none. A bench that starts a Nest
 * service calls this first: without the metadata it re-runs `file` under ts-node
 * (transpile-only, which emits it) with the tsconfig paths of `tsconfig`, LOG_LEVEL=warn unless
 * set (Nest's start-up lines would bury the table), and exits with the child's code.
 */
export function rerunWithDecoratorMetadata(file: string, tsconfig: string): void {
  const reflect = Reflect as typeof Reflect & { getMetadata?: (key: string, target: object) => unknown };
  if (reflect.getMetadata?.('design:paramtypes', DecoratorMetadataProbe) !== undefined) return;
  if (process.env['BENCH_DECORATOR_METADATA_RERUN']) throw new Error(`${file}: no decorator metadata under ts-node either (is emitDecoratorMetadata set in ${tsconfig}?)`);
  const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'reflect-metadata', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_DECORATOR_METADATA_RERUN: '1', TS_NODE_PROJECT: tsconfig, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
  });
  process.exit(child.status ?? 1);
}
