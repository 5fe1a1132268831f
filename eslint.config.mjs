import nx from '@nx/eslint-plugin';

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

const depConstraints = [
            // Layers.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: ioLibraries,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: ioLibraries,
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util'],
              bannedExternalImports: ioLibraries,
            },
            {
              sourceTag: 'type:application',
              // type:port: a library whose port (e.g. the event store) use cases program against.
              onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:contracts', 'type:util', 'type:port'],
            },
            {
              sourceTag: 'type:infrastructure',
              onlyDependOnLibsWithTags: [
                'type:infrastructure',
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
              onlyDependOnLibsWithTags: ['type:tooling', 'type:testing', 'type:infrastructure', 'type:contracts', 'type:util'],
            },
            { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app'] },
            // Contexts: own scope, the shared kernel, or another context's published contracts.
            // Shared libraries (e.g. the authority library every service uses) may read any context's contracts.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:contracts'] },
            {
              sourceTag: 'scope:delegation',
              onlyDependOnLibsWithTags: ['scope:delegation', 'scope:shared', 'type:contracts'],
            },
            {
              sourceTag: 'scope:case-distribution',
              onlyDependOnLibsWithTags: ['scope:case-distribution', 'scope:shared', 'type:contracts'],
            },
            {
              sourceTag: 'scope:onboarding',
              onlyDependOnLibsWithTags: ['scope:onboarding', 'scope:shared', 'type:contracts'],
            },
            {
              sourceTag: 'scope:notifications',
              onlyDependOnLibsWithTags: ['scope:notifications', 'scope:shared', 'type:contracts'],
            },
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
  { ignores: ['**/jest.config.ts', '**/dist', '**/node_modules', '.local/**', '.nx/**', 'tmp/**', 'bench/results/**'] },
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
