import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '../../..');

/** What `cmd args` prints (stdout and stderr: `java -version` writes to stderr), or undefined if it cannot run. */
function version(cmd: string, args: string[]): string | undefined {
  const run = spawnSync(cmd, args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) return undefined;
  return `${run.stdout}${run.stderr}`.trim() || undefined;
}

/**
 * The toolchains the local infrastructure needs (Kafka on Java 17, FerretDB and Mailpit built
 * with Go, Kafka's jars through Maven). Reports all that are missing at once, with what to do.
 */
export function checkToolchains(): void {
  const problems: string[] = [];
  const [major] = process.versions.node.split('.').map(Number);
  if ((major ?? 0) < 20) problems.push(`Node ${process.versions.node}: Node 20 or newer is required`);
  const java = version(process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin/java') : 'java', ['-version']);
  const javaMajor = Number(/version "(\d+)/.exec(java ?? '')?.[1] ?? 0);
  if (javaMajor < 17) problems.push(`Java 17+ not found (${java ?? 'no java on PATH'}): apt-get install openjdk-17-jre-headless`);
  if (!version('mvn', ['-v'])) problems.push('Maven not found: apt-get install maven');
  const go = version('go', ['version']);
  const goMinor = Number(/go1\.(\d+)/.exec(go ?? '')?.[1] ?? 0);
  if (goMinor < 24) problems.push(`Go 1.24+ not found (${go ?? 'no go on PATH'}): FerretDB and Mailpit are built from the Go module proxy`);
  if (problems.length > 0) {
    throw new Error(`missing prerequisites:\n  - ${problems.join('\n  - ')}`);
  }
}
