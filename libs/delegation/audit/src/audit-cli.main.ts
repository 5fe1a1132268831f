/*
 * Entry point of the compliance CLI (`npm run audit -- …`, launched by tools/scripts/audit.ts).
 * Everything it does lives in runAuditCli; this file only binds it to the process.
 */
import { resolve } from 'node:path';
import { runAuditCli } from './lib/cli/audit.cli';

runAuditCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // npm runs scripts in the workspace root and keeps the caller's directory in INIT_CWD.
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
  workspaceRoot: resolve(__dirname, '../../../..'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
