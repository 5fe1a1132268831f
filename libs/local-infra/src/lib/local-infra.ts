import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraConfig } from './config';
import type { ComponentState, LaunchSpec, LocalComponent } from './component';
import { ferretdbComponent } from './components/ferretdb.component';
import { kafkaComponent } from './components/kafka.component';
import { mailpitComponent } from './components/mailpit.component';
import { postgresComponent } from './components/postgres.component';
import { isOurProcessAlive, isPortOpen, readPidFile, spawnDetached, stopProcess, waitUntil } from './process';

/** Every component, dependencies before their dependents (the order `up` reports them in). */
export const components: readonly LocalComponent[] = [kafkaComponent, postgresComponent, ferretdbComponent, mailpitComponent];
export type ComponentName = LocalComponent['name'];

export const pidFile = (c: InfraConfig, name: ComponentName) => join(c.paths.run, `${name}.pid`);
export const logFile = (c: InfraConfig, name: ComponentName) => join(c.paths.logs, `${name}.log`);

export interface ComponentStatus {
  readonly name: ComponentName;
  readonly description: string;
  readonly status: ComponentState;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly log: string;
}

export interface UpResult extends ComponentStatus {
  /** What `up` did: started it, found ours running, or found a foreign server answering. */
  readonly action: 'started' | 'reused' | 'external';
  readonly ms: number;
}

function dependencies(config: InfraConfig, component: LocalComponent): readonly LocalComponent[] {
  const names = component.dependsOn?.(config) ?? [];
  return components.filter((c) => names.includes(c.name));
}

/** The chosen components and, transitively, what they depend on. */
function withDependencies(config: InfraConfig, chosen: readonly LocalComponent[]): readonly LocalComponent[] {
  const all = new Set<ComponentName>();
  const add = (c: LocalComponent): void => {
    if (all.has(c.name)) return;
    all.add(c.name);
    dependencies(config, c).forEach(add);
  };
  chosen.forEach(add);
  return components.filter((c) => all.has(c.name));
}

/** The chosen components and, transitively, what depends on them. */
function withDependents(config: InfraConfig, chosen: readonly LocalComponent[]): readonly LocalComponent[] {
  const all = new Set<ComponentName>(chosen.map((c) => c.name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of components) {
      if (!all.has(c.name) && dependencies(config, c).some((d) => all.has(d.name))) {
        all.add(c.name);
        grew = true;
      }
    }
  }
  return components.filter((c) => all.has(c.name));
}

/** Identifies a launch configuration; a running process launched with another one is restarted. */
function fingerprint(spec: LaunchSpec): string {
  const { command, args, env, uid, gid } = spec;
  return createHash('sha256').update(JSON.stringify({ command, args, env, uid, gid })).digest('hex').slice(0, 16);
}

function pick(names?: readonly string[]): readonly LocalComponent[] {
  if (!names || names.length === 0) return components;
  const unknown = names.filter((n) => !components.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown component(s) ${unknown.join(', ')}; known: ${components.map((c) => c.name).join(', ')}`);
  }
  return components.filter((c) => names.includes(c.name));
}

/*
 * Several jest runs (one per Nx project) may call `up` at once; one of them starts the
 * processes, the others wait on the lock and then find them running.
 */
async function withLock<T>(config: InfraConfig, fn: () => Promise<T>): Promise<T> {
  mkdirSync(config.paths.run, { recursive: true });
  const lock = join(config.paths.run, 'infra.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner'), String(process.pid));
      break;
    } catch {
      const owner = Number(existsSync(join(lock, 'owner')) ? readFileSync(join(lock, 'owner'), 'utf8') : NaN);
      let ownerAlive = false;
      if (Number.isInteger(owner)) {
        try {
          process.kill(owner, 0);
          ownerAlive = true;
        } catch {
          ownerAlive = false;
        }
      }
      if (!ownerAlive && Number.isInteger(owner)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no infra command runs`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function stateOf(config: InfraConfig, component: LocalComponent): Promise<ComponentState> {
  const record = readPidFile(pidFile(config, component.name));
  if (record && isOurProcessAlive(record)) return { state: 'running', pid: record.pid, managed: true };
  if (await component.ready(config)) return { state: 'external', managed: false };
  return { state: 'stopped' };
}

function describe(config: InfraConfig, component: LocalComponent, status: ComponentState): ComponentStatus {
  return {
    name: component.name,
    description: component.description,
    status,
    endpoints: component.endpoints(config),
    log: logFile(config, component.name),
  };
}

export async function status(config: InfraConfig, names?: readonly string[]): Promise<ComponentStatus[]> {
  return Promise.all(pick(names).map(async (c) => describe(config, c, await stateOf(config, c))));
}

async function upOne(config: InfraConfig, component: LocalComponent, log: (l: string) => void): Promise<UpResult> {
  const started = Date.now();
  const pf = pidFile(config, component.name);
  const record = readPidFile(pf);
  const spec = component.launch(config);
  const launchedAs = fingerprint(spec);
  if (record && isOurProcessAlive(record) && record.fingerprint !== launchedAs) {
    // Ours, but started with another configuration (handler, port, version…): converge to this one.
    log(`${component.name}: configuration changed since it started; restarting it`);
    await stopProcess(pf);
  } else if (record && isOurProcessAlive(record)) {
    // Ours and alive: wait until it answers (it may still be starting), never start a second one.
    await waitUntil(component.name, () => component.ready(config), {
      timeoutMs: component.startTimeoutMs,
      alive: () => isOurProcessAlive(record),
      logFile: logFile(config, component.name),
    });
    return { ...describe(config, component, { state: 'running', pid: record.pid, managed: true }), action: 'reused', ms: Date.now() - started };
  }
  if (await component.ready(config)) {
    // Something else (another checkout, a container) already serves this port: use it.
    return { ...describe(config, component, { state: 'external', managed: false }), action: 'external', ms: Date.now() - started };
  }
  for (const port of component.ports(config)) {
    if (await isPortOpen(config.host, port)) {
      throw new Error(
        `${component.name}: port ${config.host}:${port} is taken by a process that is not a ready ${component.name}; ` +
          `stop it or choose other ports (see README, "Ports")`,
      );
    }
  }
  await component.install(config, log);
  await component.prepare?.(config, log);
  mkdirSync(config.paths.data, { recursive: true });
  const spawned = spawnDetached({ ...spec, fingerprint: launchedAs, logFile: logFile(config, component.name), pidFile: pf });
  try {
    await waitUntil(component.name, () => component.ready(config), {
      timeoutMs: component.startTimeoutMs,
      alive: () => isOurProcessAlive(spawned),
      logFile: logFile(config, component.name),
    });
  } catch (error) {
    await stopProcess(pf, 2000);
    throw error;
  }
  return { ...describe(config, component, { state: 'running', pid: spawned.pid, managed: true }), action: 'started', ms: Date.now() - started };
}

/**
 * Installs (cached), starts and waits for the named components (with what they depend on), or
 * all. Idempotent: what runs is reused, what died or was started with another configuration is
 * (re)started. Independent components start in parallel, a dependent once its dependencies are
 * ready; the failures are thrown together after the others settled.
 */
export async function up(
  config: InfraConfig,
  names?: readonly string[],
  log: (line: string) => void = () => undefined,
): Promise<UpResult[]> {
  return withLock(config, async () => {
    const runs = new Map<ComponentName, Promise<UpResult>>();
    const run = (component: LocalComponent): Promise<UpResult> => {
      let started = runs.get(component.name);
      if (!started) {
        started = (async () => {
          const needed = dependencies(config, component);
          const settled = await Promise.allSettled(needed.map(run));
          const missing = needed.filter((_, i) => settled[i]?.status === 'rejected').map((d) => d.name);
          if (missing.length > 0) throw new Error(`${component.name}: not started, it needs ${missing.join(', ')}`);
          return upOne(config, component, log);
        })();
        runs.set(component.name, started);
      }
      return started;
    };
    const results = await Promise.allSettled(withDependencies(config, pick(names)).map(run));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      throw new Error(failed.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n'));
    }
    return results.map((r) => (r as PromiseFulfilledResult<UpResult>).value);
  });
}

/**
 * Stops only processes this tool started (pid files); foreign servers are left alone. What
 * depends on a named component is stopped too, and first (FerretDB before its PostgreSQL).
 */
export async function down(
  config: InfraConfig,
  names?: readonly string[],
): Promise<{ name: ComponentName; result: 'stopped' | 'not-running' }[]> {
  return withLock(config, async () => {
    const chosen = withDependents(config, pick(names));
    const stops = new Map<ComponentName, Promise<'stopped' | 'not-running'>>();
    const stop = (component: LocalComponent): Promise<'stopped' | 'not-running'> => {
      let stopping = stops.get(component.name);
      if (!stopping) {
        stopping = (async () => {
          const dependents = chosen.filter((c) => dependencies(config, c).includes(component));
          await Promise.allSettled(dependents.map(stop));
          return stopProcess(pidFile(config, component.name));
        })();
        stops.set(component.name, stopping);
      }
      return stopping;
    };
    return Promise.all(chosen.map(async (c) => ({ name: c.name, result: await stop(c) })));
  });
}
