// @ts-check
const { pathsToModuleNameMapper } = require('ts-jest');
const { join, relative } = require('node:path');
const { readFileSync } = require('node:fs');

/*
 * One jest configuration per Nx project, split into three jest "projects" by file suffix:
 *   unit  *.spec.ts        pure, no I/O, cached by Nx
 *   int   *.int.spec.ts    against real Kafka / MongoDB wire / SMTP / event store (shared harness)
 *   e2e   *.e2e.spec.ts    through HTTP and Kafka across services
 * Targets select one with `--selectProjects` (see nx.json targetDefaults).
 *
 * Plain CommonJS on purpose: Node 24 loads a `jest.config.ts` natively as an ES module (type
 * stripping), where extensionless imports and `__dirname` fail, while Node 20 loads it through
 * ts-node as CommonJS. A `.cjs` config loads the same way on both.
 */
const workspaceRoot = __dirname;
/** @type {{ compilerOptions: { paths: Record<string, string[]> } }} */
const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

const moduleNameMapper = pathsToModuleNameMapper(tsconfig.compilerOptions.paths, { prefix: '<rootDir>/' });

/**
 * @param {string} projectDir the folder of the project's jest.config.cjs (pass __dirname)
 * @returns {import('jest').Config}
 */
function jestProjectConfig(projectDir) {
  const toRoot = relative(projectDir, workspaceRoot) || '.';
  const mapper = Object.fromEntries(
    Object.entries(moduleNameMapper ?? {}).map(([k, v]) => [
      k,
      (Array.isArray(v) ? v : [v]).map((p) => p.replace('<rootDir>/', `<rootDir>/${toRoot}/`)),
    ]),
  );
  const base = {
    rootDir: projectDir,
    testEnvironment: 'node',
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: join(projectDir, 'tsconfig.spec.json'), diagnostics: false }],
    },
    moduleNameMapper: mapper,
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  };
  const harness = join(workspaceRoot, 'libs/testing/src/lib/jest');
  const withInfra = {
    globalSetup: join(harness, 'global-setup.ts'),
    globalTeardown: join(harness, 'global-teardown.ts'),
    setupFilesAfterEnv: [join(harness, 'setup-int.ts')],
  };
  return {
    reporters: ['default', join(harness, 'summary-reporter.cjs')],
    // A handle left open by a failed suite (a socket, a timer) must not hang CI for its whole
    // budget; suites still close what they open (see afterAll hooks).
    forceExit: true,
    projects: [
      {
        ...base,
        displayName: 'unit',
        testMatch: ['<rootDir>/**/*.spec.ts'],
        testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
      },
      { ...base, displayName: 'int', testMatch: ['<rootDir>/**/*.int.spec.ts'], ...withInfra, slowTestThreshold: 30 },
      { ...base, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'], ...withInfra, slowTestThreshold: 60 },
    ],
  };
}

module.exports = { jestProjectConfig };
