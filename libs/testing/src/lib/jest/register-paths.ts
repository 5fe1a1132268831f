import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/*
 * Jest applies moduleNameMapper to test files but not to globalSetup/globalTeardown modules, so
 * those register the workspace's tsconfig paths themselves before loading anything aliased.
 */
const workspaceRoot = join(__dirname, '../../../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
register({ baseUrl: workspaceRoot, paths: compilerOptions.paths });
