import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { inputsHash, isFresh, writeStamp } from '../build-cache';
import type { InfraConfig } from '../config';
import type { LocalComponent } from '../component';
import { execFileAsync } from '../process';
import { postgresUrl } from './postgres.component';

/*
 * FerretDB 1.24: a MongoDB wire-protocol server, on the local PostgreSQL (component `postgres`)
 * or, with FERRETDB_HANDLER=sqlite, on SQLite files. Built with Go from the module proxy through
 * a tiny main (assets/ferretdb) that embeds the `ferretdb` package.
 */
const binary = (c: InfraConfig) => join(c.paths.bin, 'ferretdb');

/** How FerretDB names its backend in `getLog` (from the server's `SELECT version()` or "SQLite"). */
const backendName = { postgresql: 'PostgreSQL', sqlite: 'SQLite' } as const;

/**
 * The backend a FerretDB reports ('' while it has opened none yet), or undefined for a server
 * that is not FerretDB (a MongoDB answering on the port is a valid wire-protocol server too).
 */
async function ferretdbBackend(client: MongoClient): Promise<string | undefined> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  if (typeof info['ferretdbVersion'] !== 'string') return undefined;
  const log = await client.db('admin').command({ getLog: 'startupWarnings' });
  const messages = (Array.isArray(log['log']) ? (log['log'] as unknown[]) : []).map((line) => {
    try {
      return String((JSON.parse(String(line)) as { msg?: unknown }).msg ?? '');
    } catch {
      return String(line);
    }
  });
  // "Powered by FerretDB v1.24.2 and PostgreSQL 17.10." once a backend connection was made.
  const powered = messages.find((m) => m.startsWith('Powered by FerretDB'));
  return / and (\S+) /.exec(powered ?? '')?.[1] ?? '';
}

export const ferretdbComponent: LocalComponent = {
  name: 'ferretdb',
  description: 'FerretDB 1.24 (MongoDB wire protocol on PostgreSQL; FERRETDB_HANDLER=sqlite: on SQLite)',
  startTimeoutMs: 30_000,
  dependsOn: (c) => (c.ferretdbHandler === 'postgresql' ? ['postgres'] : []),

  async install(c, log) {
    const src = join(c.paths.assets, 'ferretdb');
    const hash = inputsHash(['go.mod', 'go.sum', 'main.go'].map((f) => join(src, f)));
    const stamp = `${binary(c)}.stamp`;
    if (isFresh(stamp, hash, [binary(c)])) return;
    log('ferretdb: building with Go (first time takes a minute)…');
    await execFileAsync('go', ['build', '-o', binary(c), '.'], {
      cwd: src,
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    writeStamp(stamp, hash);
  },

  launch(c) {
    return {
      command: binary(c),
      args: [
        `--listen-addr=${c.host}:${c.ports.mongo}`,
        `--handler=${c.ferretdbHandler}`,
        c.ferretdbHandler === 'postgresql'
          ? // No TLS attempt on 127.0.0.1; a pool larger than pgx's default of max(4, CPUs), since
            // every MongoDB connection that runs a query holds a PostgreSQL connection meanwhile.
            `--postgresql-url=${postgresUrl(c)}?sslmode=disable&pool_max_conns=20`
          : `--data-dir=${join(c.paths.data, 'ferretdb')}`,
      ],
      cwd: c.paths.home,
      marker: binary(c),
    };
  },

  /*
   * `ping` makes FerretDB load its catalogue from the backend and ping it, so on a fresh
   * process it succeeds only once PostgreSQL answered queries; `getLog` then tells which
   * backend serves, so a FerretDB on the other one (FERRETDB_HANDLER changed) is not taken for
   * this one. The SQLite backend opens nothing before the first database exists, so there an
   * unnamed backend counts; a PostgreSQL one always has a name after a successful ping.
   */
  async ready(c) {
    const client = new MongoClient(`mongodb://${c.host}:${c.ports.mongo}/`, {
      serverSelectionTimeoutMS: 1000,
      connectTimeoutMS: 1000,
    });
    try {
      await client.connect();
      const pong = await client.db('admin').command({ ping: 1 });
      if (pong['ok'] !== 1) return false;
      const backend = await ferretdbBackend(client);
      if (backend === undefined) return true;
      return backend === backendName[c.ferretdbHandler] || (backend === '' && c.ferretdbHandler === 'sqlite');
    } catch {
      return false;
    } finally {
      await client.close().catch(() => undefined);
    }
  },

  ports: (c) => [c.ports.mongo],
  endpoints: (c) => ({ uri: `mongodb://${c.host}:${c.ports.mongo}/` }),
};
