#!/usr/bin/env node
/*
 * Makes the compiled workspace libraries resolvable by their import aliases without
 * tsconfig-paths at runtime: for every `@leadership/*` path alias of tsconfig.base.json whose
 * target was compiled into <dist>, writes <dist>/node_modules/<alias>/index.js re-exporting it.
 * Node finds <dist>/node_modules from every compiled file under <dist>, so `require('@leadership/x')`
 * works in the image exactly as the path mapping does in the workspace.
 *   node deploy/docker/link-workspace-aliases.cjs [dist]
 */
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
// tsconfig.base.json is plain JSON today; strip line comments in case that changes.
const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
const paths = base.compilerOptions?.paths ?? {};

let linked = 0;
for (const [alias, [target]] of Object.entries(paths)) {
  const compiled = join(dist, target.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) continue; // not part of this image
  const shim = join(dist, 'node_modules', alias, 'index.js');
  mkdirSync(dirname(shim), { recursive: true });
  const specifier = relative(dirname(shim), compiled).split('\\').join('/');
  writeFileSync(shim, `module.exports = require(${JSON.stringify(specifier.startsWith('.') ? specifier : `./${specifier}`)});\n`);
  console.log(`${alias} -> ${relative(dist, compiled)}`);
  linked++;
}
if (linked === 0) {
  console.error(`no compiled workspace library found under ${dist}; run tsc first`);
  process.exit(1);
}
