import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { parseCsv, writeWorldStore, type WorldOptions } from '../../testing';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, runAuditCli } from './audit.cli';

const world: WorldOptions = { seed: 3, start: '2025-01-01T00:00:00Z', units: 2, peoplePerUnit: 3, proposalSpacingHours: 24 };

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('audit CLI (in process)', () => {
  let dir: string;
  let file: string;
  let eventCount: number;

  async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await runAuditCli(args, { stdout, stderr, env, cwd: dir, workspaceRoot: join(dir, 'workspace') });
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    file = join(dir, 'store.sqlite');
    eventCount = (await writeWorldStore(file, world, 20)).log.length;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replay prints, per unit, the formal managers and the holders per task type at T', async () => {
    const run = await cli(['replay', '--at', '2025-01-20T00:00:00Z', '--store', 'store.sqlite']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain('Leadership as of 2025-01-20T00:00:00.000Z (domain time)');
    expect(run.stdout).toContain('unit u-0 "Unit 0"');
    expect(run.stdout).toContain('formal managers: mgr-0');
    expect(run.stdout).toMatch(/^ {2}\S+ +p-\d-\d on mandate m-\S+ v\d+ from mgr-\d \[u-\d/m);
    expect(run.stdout).toContain('(no holder: the formal manager)');
    expect(run.stderr).toContain(`replay: reading ${file} (SQLite, from --store)`);
  });

  it('replay --json prints the full state, and --unit narrows it', async () => {
    const all = JSON.parse((await cli(['replay', '--at', '2025-02-01T00:00:00Z', '--store', file, '--json'])).stdout) as Record<string, unknown[]> & { stats: { eventsRead: number; position: string } };
    expect(all.stats).toMatchObject({ eventsRead: eventCount, position: String(eventCount) });
    expect(all['units']).toHaveLength(2);
    expect(all['people']).toHaveLength(8);
    expect(all['taskTypes']).toHaveLength(5);
    expect(all['leadership']).toHaveLength(2);
    expect(all['mandates']!.length).toBeGreaterThan(10);
    const unit = JSON.parse((await cli(['replay', '--at', '2025-02-01T00:00:00Z', '--store', file, '--json', '--unit', 'u-1'])).stdout) as Record<string, { scope?: { unitId: string } }[]>;
    expect(unit['mandates']!.length).toBeGreaterThan(0);
    expect(unit['mandates']!.every((mandate) => mandate.scope?.unitId === 'u-1')).toBe(true);
    expect(unit['leadership']).toHaveLength(1);
  });

  it('export --out writes a CSV file and reports on stderr', async () => {
    const run = await cli(['export', '--format', 'csv', '--out', 'events.csv', '--store', file, '--from', '2000-01-01T00:00:00Z']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`export: ${eventCount} of ${eventCount} events written to events.csv`);
    expect(parseCsv(readFileSync(join(dir, 'events.csv'), 'utf8'))).toHaveLength(eventCount + 1);
  });

  it('export writes NDJSON to stdout by default', async () => {
    const run = await cli(['export', '--format', 'ndjson', '--store', file, '--quiet']);
    expect(run.stdout.trim().split('\n')).toHaveLength(eventCount);
  });

  it('anchor, then verify --anchor: a later rewrite of a stream head with its hash is caught', async () => {
    expect((await cli(['anchor', '--out', 'anchor.json', '--store', file])).code).toBe(EXIT_OK);
    const copy = join(dir, `${randomUUID()}.sqlite`);
    const db = new Database(file, { readonly: true });
    await db.backup(copy);
    db.close();
    const raw = new Database(copy);
    // Rewrite the whole last event of a stream coherently: new data and its recomputed hash.
    const last = raw.prepare<[], { position: number; metadata: string }>(`SELECT position, metadata FROM events WHERE stream_name = 'tasktype-onboarding'`).get()!;
    const metadata = JSON.parse(last.metadata) as { integrity: { hash: string } };
    raw.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify({ ...metadata, integrity: { ...metadata.integrity, hash: 'f'.repeat(64) } }), last.position);
    raw.close();

    const run = await cli(['verify', '--store', copy, '--anchor', 'anchor.json']);
    expect(run.code).toBe(EXIT_PROBLEMS);
    expect(run.stdout).toContain('anchor-mismatch: tasktype-onboarding revision 0');
    expect((await cli(['verify', '--store', file, '--anchor', 'anchor.json'])).code).toBe(EXIT_OK);
  });

  it('verify --json prints the report', async () => {
    const run = await cli(['verify', '--store', file, '--json']);
    expect(JSON.parse(run.stdout)).toEqual({ streamsChecked: expect.any(Number), eventsChecked: eventCount, problems: [], headPosition: String(eventCount) });
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['replay'], 'replay needs --at'],
    [['replay', '--at', 'yesterday'], '--at must be an ISO-8601 date-time with offset'],
    [['export'], 'export needs --format ndjson or --format csv'],
    [['export', '--format', 'xml'], 'export needs --format ndjson or --format csv'],
    [['verify', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['anchor'], 'anchor needs --out'],
  ])('answers bad usage %j with exit code 2 and what to do', async (args, message) => {
    const run = await cli([...args, '--store', file]);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('npm run audit -- replay --at');
  });

  it('says where it looked when there is no store', async () => {
    const run = await cli(['verify'], { DELEGATION_EVENT_STORE: join(dir, 'missing.sqlite') });
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(`no event store at ${join(dir, 'missing.sqlite')}`);
  });

  it('never writes to the store it reads', async () => {
    const before = readFileSync(file);
    await cli(['replay', '--at', '2025-02-01T00:00:00Z', '--store', file, '--quiet']);
    await cli(['verify', '--store', file, '--quiet']);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
