import nx from '@nx/eslint-plugin';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Module boundaries (see ../shared/STYLE.md): every project carries a scope:* and a type:* tag.
 * - domain code is pure: it depends only on other domain/util code and imports no I/O library;
 * - a bounded context reaches another context only through that context's contracts;
 * - production code never depends on testing code.
 */
const ioLibraries = [
  '@nestjs/*',
  'kafkajs',
  'mongoose',
  'mongodb',
  'better-sqlite3',
  '@eventstore/*',
  'nodemailer',
  'jose',
  'prom-client',
  'express',
  'fs',
  'node:fs',
  'node:fs/*',
  'net',
  'node:net',
  'http',
  'node:http',
  'child_process',
  'node:child_process',
];

/*
 * Pure code (domain, kernel, contracts) also has no platform modules: no clock, randomness,
 * hashing or environment of its own. Time and ids arrive on the command; stable ids come from
 * the kernel's pure `deterministicId`.
 */
const platformModules = ['crypto', 'node:crypto', 'os', 'node:os', 'process', 'node:process', 'worker_threads', 'node:worker_threads', 'dns', 'node:dns', 'tls', 'node:tls'];
const pureBanned = [...ioLibraries, ...platformModules];
// The boundary rule does not see Node's built-in modules; ESLint's own rule bans them by folder.
const pureFolders = ['libs/kernel/**/*.ts', 'libs/*/domain/**/*.ts', 'libs/*/contracts/**/*.ts'];
const nodeBuiltins = ['fs', 'node:fs', 'net', 'node:net', 'http', 'node:http', 'child_process', 'node:child_process', ...platformModules];
const nodeBuiltinsBanned = nodeBuiltins.map((name) => ({
  name,
  message: 'pure code (domain, kernel, contracts) has no I/O or platform modules: time, ids and hashes arrive on the command or come from @leadership/kernel',
}));

/*
 * Bounded contexts get their boundary from their project tags: every `scope:<context>` found in a
 * project.json under libs/, services/ or tools/ (besides the shared and workspace scopes), plus the
 * contexts the brief plans, so a context's rule exists before its first project does and a service
 * made by `nx g @leadership/workspace:service` needs no edit here.
 */
const workspaceRoot = dirname(fileURLToPath(import.meta.url));
const plannedContexts = ['delegation', 'case-distribution', 'onboarding', 'notifications'];
const skippedFolders = new Set(['node_modules', 'dist', 'tmp', '.local', '.nx', '.git', 'src', 'files']);

function projectFiles(dir, depth) {
  if (depth < 0 || !existsSync(dir)) return [];
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name === 'project.json') ? [join(dir, 'project.json')] : [];
  return [...here, ...entries.filter((e) => e.isDirectory() && !skippedFolders.has(e.name)).flatMap((e) => projectFiles(join(dir, e.name), depth - 1))];
}

function contextScopes() {
  const found = ['libs', 'services', 'tools'].flatMap((folder) => projectFiles(join(workspaceRoot, folder), 3)).flatMap((file) => {
    const tags = JSON.parse(readFileSync(file, 'utf8')).tags ?? [];
    return tags.filter((tag) => tag.startsWith('scope:')).map((tag) => tag.slice('scope:'.length));
  });
  return [...new Set([...plannedContexts, ...found])].filter((scope) => scope !== 'shared' && scope !== 'workspace').sort();
}

const depConstraints = [
            // Layers.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: pureBanned,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: pureBanned,
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util'],
              bannedExternalImports: pureBanned,
            },
            {
              // A port library (e.g. the event store's): interfaces and engine-free helpers that use
              // cases program against. Adapters live in type:infrastructure libraries beside it.
              sourceTag: 'type:port',
              onlyDependOnLibsWithTags: ['type:port', 'type:domain', 'type:contracts', 'type:util'],
              bannedExternalImports: ioLibraries,
            },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:contracts', 'type:util', 'type:port'],
              bannedExternalImports: ioLibraries,
            },
            {
              sourceTag: 'type:infrastructure',
              onlyDependOnLibsWithTags: [
                'type:infrastructure',
                'type:port',
                'type:application',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:infrastructure',
                'type:port',
                'type:application',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
            },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:tooling', 'type:util'] },
            // npm start / test / bench / token / audit entry points (scope:workspace: they wire every context).
            {
              sourceTag: 'type:script',
              onlyDependOnLibsWithTags: ['type:tooling', 'type:testing', 'type:infrastructure', 'type:port', 'type:application', 'type:domain', 'type:contracts', 'type:util'],
            },
            { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app'] },
            // Contexts: own scope, the shared kernel, or another context's published contracts.
            // Shared libraries (e.g. the authority library every service uses) may read any context's contracts.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:contracts'] },
            ...contextScopes().map((context) => ({
              sourceTag: `scope:${context}`,
              onlyDependOnLibsWithTags: [`scope:${context}`, 'scope:shared', 'type:contracts'],
            })),
          ];

/*
 * Tests, benchmarks and test helpers of any project may use the shared test harness
 * (type:testing, e.g. testInfra(), uniqueName(), reportBench()) and the local infrastructure
 * (type:tooling); production files of the same project still may not.
 */
const testFiles = ['**/*.spec.ts', '**/*.bench.ts', '**/*.contract.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/int/**/*.ts'];
const testDepConstraints = depConstraints.map((c) =>
  c.onlyDependOnLibsWithTags ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing', 'type:tooling'] } : c,
);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/jest.config.cjs', 'jest.preset.cjs', '**/dist', '**/node_modules', '.local/**', '.nx/**', 'tmp/**', 'bench/results/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: pureFolders,
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', { paths: nodeBuiltinsBanned, patterns: [{ group: ['node:fs/*'], message: 'pure code has no I/O' }] }] },
  },
  {
    // Tests may use non-null assertions; they never ship.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: testDepConstraints }],
    },
  },
];
