import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root (this file is tools/workspace-plugin/src/generators/service/test/). */
export const workspaceRoot = join(__dirname, '../../../../../..');

/**
 * A throwaway copy of the workspace as it is now: the git-tracked files plus uncommitted and new
 * ones (deleted files stay deleted), without node_modules, .local, .nx or anything else git
 * ignores; node_modules is a symlink to the real one. The generator and the generated projects'
 * targets run there, so the repository itself never holds a generated service.
 */
export function copyWorkspace(prefix = 'workspace-plugin-'): { readonly root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const source = join(workspaceRoot, file);
    // Tracked but deleted in the working tree; symlinks and folders (submodules) are not copied.
    if (!existsSync(source) || !lstatSync(source).isFile()) continue;
    const target = join(root, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
