/*
 * npm run audit -- verify|export|anchor|replay … --context <name> : the compliance CLI over any
 * service's event store. Everything it does lives in @leadership/audit (runAuditCli, see its
 * README); this entry point binds it to the process, names the workspace's contexts (the folders
 * under services/) and registers the replays the contexts offer.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAuditCli } from '@leadership/audit';
import { delegationReplayer } from '@leadership/delegation-audit';

const workspaceRoot = join(__dirname, '../..');

/** Every service folder is a context with an event store of its own. */
function serviceNames(): string[] {
  return readdirSync(join(workspaceRoot, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

runAuditCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // npm runs scripts in the workspace root and keeps the caller's directory in INIT_CWD.
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
    workspaceRoot,
  },
  { known: serviceNames(), replayers: { delegation: delegationReplayer } },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
