import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseCsv, runAuditCliCaptured, writeSampleStore, type AuditCliRun } from '../../testing';
import { scanAll } from '../scan/scan-all';
import { type AuditReplayer, AuditUsageError } from './audit-replayer';
import { type AuditCliContexts, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './audit.cli';

/**
 * A real, if small, replayer for a context of its own: how many events each stream had by T
 * (domain time in data.at). It exercises what the CLI does for every context's replay: option
 * parsing, the store it opens, progress, output and usage errors.
 */
const streamCountReplayer: AuditReplayer = {
  description: 'Events per stream by that instant.',
  options: { prefix: '<text>  only streams whose name starts with it' },
  async replay(request) {
    const prefix = request.options['prefix'];
    if (prefix === '') throw new AuditUsageError('--prefix must not be empty');
    const at = Date.parse(request.at);
    const counts = new Map<string, number>();
    await scanAll(request.store, request.onProgress ? { onProgress: request.onProgress } : {}, (events) => {
      for (const event of events) {
        const time = Date.parse((event.data as { at: string }).at);
        if (time <= at && (prefix === undefined || event.streamName.startsWith(prefix))) counts.set(event.streamName, (counts.get(event.streamName) ?? 0) + 1);
      }
    });
    if (counts.size === 0) await request.warn('no stream had events by then');
    await request.write(request.json ? `${JSON.stringify(Object.fromEntries(counts))}\n` : [...counts].map(([stream, n]) => `${stream} ${n}\n`).join(''));
  },
};

const contexts: AuditCliContexts = {
  known: ['shop', 'billing'],
  replayers: { shop: streamCountReplayer },
};

describe('audit CLI (in process)', () => {
  let dir: string;
  let workspace: string;
  let file: string;
  let eventCount: number;

  const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<AuditCliRun> => runAuditCliCaptured(args, { cwd: dir, workspaceRoot: workspace, env, contexts });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    workspace = join(dir, 'workspace');
    file = join(dir, 'store.sqlite');
    eventCount = (await writeSampleStore(file, { orders: 6, catalogItems: 3 })).log.length;
    // The shop service's default store: .local/data/shop/events.sqlite under the workspace root.
    mkdirSync(join(workspace, '.local/data/shop'), { recursive: true });
    await writeSampleStore(join(workspace, '.local/data/shop/events.sqlite'), {
      orders: 2,
      catalogItems: 1,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the store of the service named by --context by default', async () => {
    const run = await cli(['verify', '--context', 'shop']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toContain(`verify: reading ${join(workspace, '.local/data/shop/events.sqlite')} (SQLite, from default of --context shop)`);
    expect(run.stdout).toContain('OK: every chain is intact (8 events in 3 streams, no signed anchors)');
  });

  it('takes <CONTEXT>_EVENT_STORE for the context', async () => {
    const run = await cli(['verify', '--context', 'shop', '--quiet'], {
      SHOP_EVENT_STORE: file,
      BILLING_EVENT_STORE: join(dir, 'missing.sqlite'),
    });
    expect(run.stdout).toContain(`(${eventCount} events in 9 streams, no signed anchors)`);
  });

  it('replay runs the context’s registered replayer with its own options', async () => {
    const run = await cli(['replay', '--context', 'shop', '--store', 'store.sqlite', '--at', '2025-01-01T05:00:00Z', '--prefix', 'order-']);
    expect(run.code).toBe(EXIT_OK);
    // Catalogue items come first (hours 1-3), then the first step of each order.
    expect(run.stdout).toBe('order-0 1\norder-1 1\n');
    expect(run.stderr).toContain(`replay: reading ${file} (SQLite, from --store)`);
    const json = await cli(['replay', '--context', 'shop', '--store', file, '--at', '2030-01-01T00:00:00Z', '--json', '--quiet']);
    expect(Object.values(JSON.parse(json.stdout) as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(eventCount);
    const none = await cli(['replay', '--context', 'shop', '--store', file, '--at', '2020-01-01T00:00:00Z', '--quiet']);
    expect(none.stderr).toContain('replay: warning: no stream had events by then');
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
    const last = raw.prepare<[], { position: number; metadata: string }>(`SELECT position, metadata FROM events WHERE stream_name = 'catalog-1'`).get()!;
    const metadata = JSON.parse(last.metadata) as {
      integrity: { hash: string };
    };
    raw.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(
      JSON.stringify({
        ...metadata,
        integrity: { ...metadata.integrity, hash: 'f'.repeat(64) },
      }),
      last.position,
    );
    raw.close();

    const run = await cli(['verify', '--store', copy, '--anchor', 'anchor.json']);
    expect(run.code).toBe(EXIT_PROBLEMS);
    expect(run.stdout).toContain('anchor-mismatch: catalog-1 revision 0');
    expect((await cli(['verify', '--store', file, '--anchor', 'anchor.json'])).code).toBe(EXIT_OK);
  });

  it('verify --json prints the report', async () => {
    const run = await cli(['verify', '--store', file, '--json']);
    expect(JSON.parse(run.stdout)).toEqual({
      streamsChecked: 9,
      eventsChecked: eventCount,
      problems: [],
      headPosition: String(eventCount),
      verdict: 'intact',
      anchors: null,
    });
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['replay', '--context', 'shop'], 'replay needs --at'],
    [['replay', '--context', 'shop', '--at', 'yesterday'], '--at must be an ISO-8601 date-time with offset'],
    [['replay', '--at', '2025-01-01T00:00:00Z'], 'replay needs --context <name>; contexts with a replay: shop'],
    [['replay', '--context', 'billing', '--at', '2025-01-01T00:00:00Z'], 'the billing context offers no replay; contexts with a replay: shop'],
    [['replay', '--context', 'billing', '--at', '2025-01-01T00:00:00Z', '--prefix', 'x'], "Unknown option '--prefix'"],
    [['replay', '--context', 'shop', '--at', '2025-01-01T00:00:00Z', '--prefix', ''], '--prefix must not be empty'],
    [['verify', '--context', 'warehouse'], 'unknown context "warehouse"; the workspace\'s services are shop, billing'],
    [['export'], 'export needs --format ndjson or --format csv'],
    [['export', '--format', 'xml'], 'export needs --format ndjson or --format csv'],
    [['verify', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['anchor'], 'anchor needs --out'],
  ])('answers bad usage %j with exit code 2 and what to do', async (args, message) => {
    const run = await cli([...args, '--store', file]);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('npm run audit -- verify --context <name>');
    expect(run.stderr).toContain('npm run audit -- replay --context shop --at <ISO time> [--prefix <prefix>] [--json]');
  });

  it('asks for a context when neither --context nor --store is given', async () => {
    const run = await cli(['verify']);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain('pass --context <service name>');
  });

  it('says where it looked when there is no store', async () => {
    const run = await cli(['verify', '--context', 'billing'], {
      BILLING_EVENT_STORE: join(dir, 'missing.sqlite'),
    });
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(
      `no event store at ${join(dir, 'missing.sqlite')}: pass --store <file>, set BILLING_EVENT_STORE, or start the billing service once`,
    );
  });

  it('never writes to the store it reads', async () => {
    const before = readFileSync(file);
    await cli(['verify', '--store', file, '--quiet']);
    await cli(['export', '--format', 'ndjson', '--store', file, '--quiet']);
    await cli(['replay', '--context', 'shop', '--store', file, '--at', '2030-01-01T00:00:00Z', '--quiet']);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
