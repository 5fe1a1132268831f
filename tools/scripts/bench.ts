/*
 * npm run bench -- <name> [more names…] | --list
 * Runs bench files named <name>.bench.ts anywhere under libs/, services/ or tools/ with tsx;
 * each writes bench/results/<name>.json (see libs/testing/src/lib/bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

function findBenches(dir: string, found: Map<string, string>): Map<string, string> {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.') || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) findBenches(path, found);
    else if (entry.endsWith('.bench.ts')) found.set(entry.slice(0, -'.bench.ts'.length), path);
  }
  return found;
}

const benches = new Map<string, string>();
for (const top of ['libs', 'services', 'tools']) findBenches(join(root, top), benches);
const names = process.argv.slice(2).filter((a) => a !== '--');
if (names.length === 0 || names.includes('--list')) {
  console.log('benchmarks:');
  for (const [name, path] of [...benches].sort()) console.log(`  ${name.padEnd(24)} ${relative(root, path)}`);
  process.exit(names.length === 0 ? 2 : 0);
}
let failed = 0;
for (const name of names) {
  const file = benches.get(name);
  if (!file) {
    console.error(`unknown benchmark "${name}"; run npm run bench -- --list`);
    failed++;
    continue;
  }
  console.log(`▶ ${name} (${relative(root, file)})`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
