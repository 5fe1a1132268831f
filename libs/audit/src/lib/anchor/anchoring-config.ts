import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, envPrefix, intFromEnv } from '@leadership/platform-runtime';
import { publicKeyFileOf } from './anchor-key';

/** Where a store is, as far as anchoring cares: a SQLite file has a folder to keep defaults in. */
export type AnchoredStoreLocation = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'eventstoredb' };

/** How a service anchors its store, or why it does not. */
export type AnchoringSetting =
  | {
      readonly enabled: true;
      /** The append-only anchor log. */
      readonly logFile: string;
      /** The Ed25519 private key (PKCS#8 PEM), generated on first start when missing. */
      readonly keyFile: string;
      readonly intervalMs: number;
    }
  | { readonly enabled: false; readonly reason: string };

export const DEFAULT_ANCHOR_INTERVAL_MS = 60_000;
/** Below this an anchor per tick would mostly measure the disk; it is a safeguard, not a tuning knob. */
const MIN_ANCHOR_INTERVAL_MS = 1_000;

/** The names of a service's anchoring variables (`<NAME>` as in `<NAME>_EVENT_STORE`). */
export function anchoringVariables(serviceName: string) {
  const prefix = `${envPrefix(serviceName)}_AUDIT_ANCHOR`;
  return {
    switch: `${prefix}S`,
    log: `${prefix}_LOG`,
    key: `${prefix}_KEY`,
    publicKey: `${prefix}_PUBLIC_KEY`,
    interval: `${prefix}_INTERVAL_MS`,
  } as const;
}

/**
 * A service's anchoring, from its environment (README.md, "Anchors"):
 * - `<NAME>_AUDIT_ANCHORS=off` turns it off (anything else, or unset: on);
 * - `<NAME>_AUDIT_ANCHOR_LOG`: the anchor log; default `audit-anchors.ndjson` beside a SQLite
 *   store file;
 * - `<NAME>_AUDIT_ANCHOR_KEY`: the Ed25519 private key; default `audit-anchor-key.pem` beside it;
 * - `<NAME>_AUDIT_ANCHOR_INTERVAL_MS`: default 60,000, at least 1,000.
 * EventStoreDB has no folder of ours to default to, and anchors kept where nobody chose would
 * give a false sense of safety: there both paths must be set, else anchoring is off (and says so).
 * Relative paths are resolved against `baseDir` (the workspace root, or the process's directory).
 */
export function anchoringFromEnv(serviceName: string, store: AnchoredStoreLocation, env: Readonly<Record<string, string | undefined>>, baseDir: string): AnchoringSetting {
  const names = anchoringVariables(serviceName);
  const toggle = env[names.switch];
  if (toggle === 'off') return { enabled: false, reason: `${names.switch}=off` };
  if (toggle !== undefined && toggle !== '' && toggle !== 'on') throw new ConfigError(`${names.switch}=${toggle} must be on or off`);
  const intervalMs = intFromEnv(env, names.interval, DEFAULT_ANCHOR_INTERVAL_MS);
  if (intervalMs < MIN_ANCHOR_INTERVAL_MS) throw new ConfigError(`${names.interval}=${intervalMs} must be at least ${MIN_ANCHOR_INTERVAL_MS}`);
  const defaults = defaultAnchorFiles(store);
  const logFile = pathFromEnv(env[names.log], baseDir) ?? defaults?.logFile;
  const keyFile = pathFromEnv(env[names.key], baseDir) ?? defaults?.keyFile;
  if (logFile === undefined || keyFile === undefined) {
    return { enabled: false, reason: `the store is EventStoreDB: set ${names.log} (on a volume the database's operators cannot write) and ${names.key}` };
  }
  return { enabled: true, logFile, keyFile, intervalMs };
}

/** The default anchor files beside a SQLite store; none for a store in memory or on EventStoreDB. */
export function defaultAnchorFiles(store: AnchoredStoreLocation): { readonly logFile: string; readonly keyFile: string } | undefined {
  if (store.kind !== 'sqlite' || store.file === ':memory:') return undefined;
  const dir = dirname(store.file);
  return { logFile: join(dir, 'audit-anchors.ndjson'), keyFile: join(dir, 'audit-anchor-key.pem') };
}

/** What verify needs to check a store's anchors: the log and a trusted public key. */
export interface AnchorCheckFiles {
  readonly logFile: string;
  /** A PEM file with the public key (or the private key, whose public half is used). */
  readonly publicKeyFile: string | undefined;
}

/**
 * Where the anchors of a store are for verify: explicit paths win, then the service's variables,
 * then the defaults beside a SQLite file. The public key is `<NAME>_AUDIT_ANCHOR_PUBLIC_KEY`,
 * else the `.pub.pem` beside the private key, else the private key itself. Undefined when no log
 * location is known at all.
 */
export function locateAnchorCheck(
  explicit: { readonly logFile?: string; readonly publicKeyFile?: string },
  serviceName: string | undefined,
  store: AnchoredStoreLocation,
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
): AnchorCheckFiles | undefined {
  const names = serviceName === undefined ? undefined : anchoringVariables(serviceName);
  const defaults = defaultAnchorFiles(store);
  const logFile = explicit.logFile ?? pathFromEnv(names && env[names.log], baseDir) ?? defaults?.logFile;
  if (logFile === undefined) return undefined;
  const keyFile = pathFromEnv(names && env[names.key], baseDir) ?? defaults?.keyFile;
  const candidates = [explicit.publicKeyFile, pathFromEnv(names && env[names.publicKey], baseDir), keyFile && publicKeyFileOf(keyFile), keyFile];
  const publicKeyFile = explicit.publicKeyFile ?? candidates.find((file): file is string => file !== undefined && existsSync(file));
  return { logFile, publicKeyFile };
}

function pathFromEnv(value: string | undefined, baseDir: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  return isAbsolute(value) ? value : resolve(baseDir, value);
}
