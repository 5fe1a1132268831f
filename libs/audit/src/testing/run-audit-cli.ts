import { PassThrough } from 'node:stream';
import { runAuditCli, type AuditCliContexts } from '../lib/cli/audit.cli';

/** What one in-process CLI run printed and returned. */
export interface AuditCliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the audit CLI in this process with captured stdout/stderr, as `npm run audit -- …` would
 * with the given directories, environment and registered contexts.
 */
export async function runAuditCliCaptured(
  args: readonly string[],
  setup: {
    readonly cwd: string;
    readonly workspaceRoot: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly contexts: AuditCliContexts;
  },
): Promise<AuditCliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runAuditCli(
    args,
    {
      stdout,
      stderr,
      env: setup.env ?? {},
      cwd: setup.cwd,
      workspaceRoot: setup.workspaceRoot,
    },
    setup.contexts,
  );
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}
