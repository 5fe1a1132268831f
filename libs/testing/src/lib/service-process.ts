import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** A workspace service running as its own process, as `npm start` runs it. */
export interface ServiceProcess {
  readonly url: string;
  /** The last lines it logged (for a failing test's message). */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once: a crash. */
  kill(): Promise<void>;
}

/** A TCP port nobody listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `services/<name>/src/main.ts` the way `npm start` does (ts-node transpile-only with the
 * workspace's path mapping) with `env` on top of this process's environment and `<PREFIX>_PORT`
 * set to a free port; resolves once `GET /health` answers at all (any status: a dependency may
 * still be coming up), rejects with the log tail if the process exits or does not answer within
 * `timeoutMs`. For end-to-end tests across services: the other service is a real process, with
 * its own event store, read models, relay and consumers.
 */
export async function startServiceProcess(options: {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  readonly workspaceRoot?: string;
  readonly timeoutMs?: number;
}): Promise<ServiceProcess> {
  const root = options.workspaceRoot ?? resolve(__dirname, '../../../..');
  const main = join(root, 'services', options.name, 'src/main.ts');
  if (!existsSync(main)) throw new Error(`no service ${options.name} (${main})`);
  const port = await freePort();
  const prefix = options.name.toUpperCase().replace(/-/g, '_');
  const log: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', main], {
    cwd: root,
    env: { ...process.env, TS_NODE_PROJECT: join(root, 'services', options.name, 'tsconfig.json'), [`${prefix}_PORT`]: String(port), HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const tail = (lines = 30) => log.slice(-lines).join('\n');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let running = true;
  void exited.then(() => (running = false));
  for (;;) {
    if (!running) throw new Error(`${options.name} exited during start-up:\n${tail()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not answer on ${url}/health within ${options.timeoutMs ?? 90_000} ms:\n${tail()}`);
    }
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const stop = async (graceMs = 10_000) => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    logTail: tail,
    stop,
    kill: async () => {
      if (!running) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
