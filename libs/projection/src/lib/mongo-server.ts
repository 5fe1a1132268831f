import type { Db } from 'mongodb';

/**
 * Which MongoDB wire server answers, for benchmark reports and logs: real MongoDB with its
 * version, or FerretDB with its storage backend (read from the startup log line "Powered by
 * FerretDB … and PostgreSQL 17.x" / "… and SQLite 3.x", the only place FerretDB 1.x names it).
 */
export async function describeMongoServer(db: Db): Promise<string> {
  const admin = db.admin();
  const info = (await admin.command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  if (info.ferretdbVersion === undefined) return `MongoDB ${info.version ?? 'unknown'}`;
  const log = (await admin.command({ getLog: 'startupWarnings' }).catch(() => ({ log: [] }))) as { log?: unknown[] };
  const line = (log.log ?? []).map(String).find((l) => l.includes('Powered by FerretDB'));
  const backend = line ? /and ([A-Za-z]+ [0-9]+(?:\.[0-9]+)*)/.exec(line)?.[1] : undefined;
  return `FerretDB ${info.ferretdbVersion} on ${backend ?? 'an unknown backend'} (wire version ${info.version ?? '?'})`;
}
