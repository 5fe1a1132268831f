/*
 * npm run audit -- replay|export|verify|anchor … : the compliance CLI of the delegation context.
 * Everything it does lives in @leadership/delegation-audit (runAuditCli, see its README); this
 * entry point only binds it to the process.
 */
import { join } from 'node:path';
import { runAuditCli } from '@leadership/delegation-audit';

runAuditCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // npm runs scripts in the workspace root and keeps the caller's directory in INIT_CWD.
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
  workspaceRoot: join(__dirname, '../..'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
