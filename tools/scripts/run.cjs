#!/usr/bin/env node
/*
 * Entry of `npm start`, `npm test` and `npm run bench`: installs npm packages when node_modules
 * is missing or was installed from another package-lock.json (so both commands work on a fresh
 * clone), then runs tools/scripts/<name>.ts with tsx. Plain CommonJS: it must run before any
 * dependency exists.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../..');
const [name, ...args] = process.argv.slice(2);

/*
 * npm keeps a copy of what it installed in node_modules/.package-lock.json; node_modules is up
 * to date when every package of package-lock.json is there in the same version.
 */
function nodeModulesUpToDate() {
  const installedFile = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(installedFile)) return false;
  const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  return Object.entries(wanted).every(
    ([path, meta]) => path === '' || meta.optional || installed[path]?.version === meta.version,
  );
}

if (!nodeModulesUpToDate()) {
  console.log('npm ci (node_modules missing or installed from another package-lock.json)…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('npm ci failed; see the output above');
    process.exit(1);
  }
}

// Forward termination signals so that `kill <npm pid>` stops the script (and what it started)
// as Ctrl-C in a terminal does.
const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, `${name}.ts`), ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
