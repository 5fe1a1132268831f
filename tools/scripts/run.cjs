#!/usr/bin/env node
/*
 * Entry of `npm start`, `npm test` and `npm run bench`: installs npm packages when node_modules
 * is missing or was installed from another package-lock.json (so both commands work on a fresh
 * clone), then runs tools/scripts/<name>.ts with tsx. Plain CommonJS: it must run before any
 * dependency exists.
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../..');
const [name, ...args] = process.argv.slice(2);

const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules/.leadership-lock.sha256');
const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.log('npm ci (node_modules missing or installed from another package-lock.json)…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('npm ci failed; see the output above');
    process.exit(1);
  }
  writeFileSync(stamp, hash);
}

const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, `${name}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
