import { spawn, execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { StopSpec } from './component';

export const execFileAsync = promisify(execFile);

export interface PidRecord {
  readonly pid: number;
  /** A string that must appear in /proc/<pid>/cmdline, so a recycled pid is not mistaken for ours. */
  readonly marker: string;
  readonly startedAt: string;
  /**
   * Hash of what was launched (command, arguments, environment, user): `up` restarts a process
   * whose configuration changed since (e.g. FERRETDB_HANDLER, a port). Absent in records written
   * before it existed, which count as changed.
   */
  readonly fingerprint?: string;
  /** How to stop it; absent: SIGTERM to the process group. */
  readonly stop?: StopSpec;
}

export function readPidFile(file: string): PidRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** True when the pid runs and is still the process we started (checked by its command line). */
export function isOurProcessAlive(record: PidRecord | undefined): boolean {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    if (!cmdline.includes(record.marker)) return false;
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    // A zombie (state Z) has exited; it only waits to be reaped.
    return !/\) Z /.test(stat);
  } catch {
    // No /proc (not Linux): trust the signal check.
    return true;
  }
}

export interface SpawnSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly pidFile: string;
  readonly marker: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly stop?: StopSpec;
  readonly fingerprint?: string;
}

/**
 * Starts a long-running process detached in its own process group, stdout and stderr appended
 * to a log file, and records it in a pid file. `down` later signals the whole group.
 */
export function spawnDetached(spec: SpawnSpec): PidRecord {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
    // A failed exec (missing binary) is reported here by the undefined pid; without a listener
    // its later 'error' event would crash the calling process.
    child.once('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    const record: PidRecord = {
      pid: child.pid,
      marker: spec.marker,
      startedAt: new Date().toISOString(),
      ...(spec.fingerprint ? { fingerprint: spec.fingerprint } : {}),
      ...(spec.stop ? { stop: spec.stop } : {}),
    };
    writeFileSync(spec.pidFile, JSON.stringify(record));
    return record;
  } finally {
    closeSync(log);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The recorded stop signal (default SIGTERM to the process group), SIGKILL to the group after
 * the grace period; removes the pid file.
 */
export async function stopProcess(pidFile: string, graceMs = 20_000): Promise<'stopped' | 'not-running'> {
  const record = readPidFile(pidFile);
  if (!isOurProcessAlive(record) || !record) {
    rmSync(pidFile, { force: true });
    return 'not-running';
  }
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-record.pid, signal);
    } catch {
      try {
        process.kill(record.pid, signal);
      } catch {
        /* already gone */
      }
    }
  };
  if (record.stop?.leaderOnly) {
    try {
      process.kill(record.pid, record.stop.signal);
    } catch {
      /* already gone */
    }
  } else {
    signalGroup(record.stop?.signal ?? 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isOurProcessAlive(record)) await sleep(100);
  if (isOurProcessAlive(record)) {
    signalGroup('SIGKILL');
    while (isOurProcessAlive(record)) await sleep(50);
  }
  rmSync(pidFile, { force: true });
  return 'stopped';
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The last lines of a log, quoted into an error: the log may be gone when someone reads the error (CI, test scratch folders). */
function logTail(file: string, lines = 15): string {
  try {
    const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return tail.length > 0 ? `; its last lines:\n  ${tail.join('\n  ')}` : '';
  } catch {
    return '';
  }
}

/** Polls `probe` until it answers true, the process dies, or the deadline passes. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; alive?: () => boolean; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (options.alive && !options.alive()) {
      throw new Error(`${what} exited during start-up${options.logFile ? `; see ${options.logFile}${logTail(options.logFile)}` : ''}`);
    }
    await sleep(250);
  }
  throw new Error(
    `${what} was not ready within ${options.timeoutMs} ms${options.logFile ? `; see ${options.logFile}` : ''}`,
  );
}
