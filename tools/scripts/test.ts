/*
 * npm test: sets up what is missing and runs every test suite of every project.
 *  1. checks toolchains (Node 20, Java 17, Maven, Go) and installs npm packages if needed;
 *  2. brings up the local infrastructure (Kafka, PostgreSQL, FerretDB, Mailpit), installing it on first use
 *     (or uses testcontainers when a container engine answers — decided per jest run);
 *  3. runs lint, typecheck, unit, integration and end-to-end targets through Nx;
 *  4. prints one summary line and stops the infrastructure it started itself.
 * Options: --only=<target,…> (e.g. --only=test), --projects=<p,…>, KEEP_INFRA=1 keeps it up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { down, loadInfraConfig, up } from '@leadership/local-infra';
import { containerRuntimeAvailable } from '@leadership/testing';
import { checkToolchains, workspaceRoot } from './lib/prerequisites';

interface Summary {
  task: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: { file: string; failed: string[]; error?: string }[];
  skippedTests: string[];
}

function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(): Promise<number> {
  const started = Date.now();
  checkToolchains();
  

  const targets = arg('only') ?? 'lint,typecheck,test,int,e2e';
  const needsInfra = /\b(int|e2e)\b/.test(targets);
  let startedByUs: string[] = [];
  const config = loadInfraConfig();
  if (needsInfra && !(await containerRuntimeAvailable())) {
    console.log('local infrastructure: starting (first run builds FerretDB and Mailpit, resolves Kafka jars, creates the PostgreSQL cluster)…');
    const results = await up(config, undefined, (l) => console.log(`  ${l}`));
    startedByUs = results.filter((r) => r.action === 'started').map((r) => r.name);
    for (const r of results) console.log(`  ${r.name}: ${r.action} in ${(r.ms / 1000).toFixed(1)} s`);
  }

  const resultsDir = join(workspaceRoot, 'tmp/test-results');
  rmSync(resultsDir, { recursive: true, force: true });
  const projects = arg('projects');
  const nxArgs = ['nx', 'run-many', '-t', ...targets.split(','), '--parallel=2', '--outputStyle=stream'];
  if (projects) nxArgs.push(`--projects=${projects}`);
  if (process.env['CI']) nxArgs.push('--skipNxCache');
  console.log(`> npx ${nxArgs.join(' ')}`);
  const nx = spawnSync('npx', nxArgs, {
    cwd: workspaceRoot,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: process.env['FORCE_COLOR'] ?? '0' },
  });

  if (startedByUs.length > 0 && process.env['KEEP_INFRA'] !== '1') {
    await down(config, startedByUs);
    console.log(`local infrastructure: stopped ${startedByUs.join(', ')} (KEEP_INFRA=1 keeps it running)`);
  }

  const summaries: Summary[] = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Summary)
    : [];
  const total = summaries.reduce(
    (t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('\n──────── test summary ────────');
  for (const s of summaries.sort((a, b) => a.task.localeCompare(b.task))) {
    console.log(`${s.task.padEnd(40)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(3)} failed ${String(s.skipped).padStart(3)} skipped`);
    for (const f of s.failures) console.log(`    ✗ ${f.file}\n      ${[...f.failed, f.error ?? ''].filter(Boolean).join('\n      ')}`);
    for (const t of s.skippedTests) console.log(`    ○ skipped: ${t}`);
  }
  console.log(`duration: ${((Date.now() - started) / 1000).toFixed(0)} s; nx exit code ${nx.status}`);
  // The closing line CI reads.
  console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  if (nx.status !== 0) return nx.status ?? 1;
  if (total.failed > 0) return 1;
  if (needsInfra && total.passed === 0) {
    console.error('no test ran: something is wrong with the harness');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
