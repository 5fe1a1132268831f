import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { inputsHash, isFresh, writeStamp } from '../build-cache';
import type { InfraConfig } from '../config';
import type { LocalComponent } from '../component';
import { execFileAsync } from '../process';

/*
 * FerretDB 1.24 on its SQLite backend: a MongoDB wire-protocol server. Built with Go from the
 * module proxy through a tiny main (assets/ferretdb) that embeds the `ferretdb` package.
 */
const binary = (c: InfraConfig) => join(c.paths.bin, 'ferretdb');

export const ferretdbComponent: LocalComponent = {
  name: 'ferretdb',
  description: 'FerretDB 1.24 (MongoDB wire protocol, SQLite backend)',
  startTimeoutMs: 30_000,

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
      args: [`--listen-addr=${c.host}:${c.ports.mongo}`, `--data-dir=${join(c.paths.data, 'ferretdb')}`],
      cwd: c.paths.home,
      marker: binary(c),
    };
  },

  async ready(c) {
    const client = new MongoClient(`mongodb://${c.host}:${c.ports.mongo}/`, {
      serverSelectionTimeoutMS: 1000,
      connectTimeoutMS: 1000,
    });
    try {
      await client.connect();
      const pong = await client.db('admin').command({ ping: 1 });
      return pong['ok'] === 1;
    } catch {
      return false;
    } finally {
      await client.close().catch(() => undefined);
    }
  },

  ports: (c) => [c.ports.mongo],
  endpoints: (c) => ({ uri: `mongodb://${c.host}:${c.ports.mongo}/` }),
};
