/*
 * npm run audit -- replay|export|verify|anchor … : the compliance CLI of the delegation context.
 *
 * The CLI itself lives in libs/delegation/audit (src/audit-cli.main.ts). This launcher starts it
 * as a child process instead of importing it: the scripts project is scope:shared and the module
 * boundaries forbid it to depend on a scope:delegation library; a process boundary keeps the
 * rule intact. stdio is inherited, so progress (stderr), output (stdout) and the exit code are
 * the CLI's own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const entry = join(root, 'libs/delegation/audit/src/audit-cli.main.ts');
const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (run.error) {
  console.error(`audit: cannot start ${entry}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
