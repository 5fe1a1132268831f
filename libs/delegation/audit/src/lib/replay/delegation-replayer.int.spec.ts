import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_OK, EXIT_USAGE } from '@leadership/audit';
import { runAuditCliCaptured, type AuditCliRun } from '@leadership/audit/testing';
import { writeWorldStore, type WorldOptions } from '../../testing';
import { delegationReplayer } from './delegation-replayer';

const world: WorldOptions = {
  seed: 3,
  start: '2025-01-01T00:00:00Z',
  units: 2,
  peoplePerUnit: 3,
  proposalSpacingHours: 24,
};

/** As tools/scripts/audit.ts registers it. */
const contexts = { known: ['delegation'], replayers: { delegation: delegationReplayer } };

/** `npm run audit -- replay --context delegation …`: the shared CLI with the delegation replayer registered, as tools/scripts/audit.ts does. */
describe('audit CLI replay --context delegation (in process)', () => {
  let dir: string;
  let workspace: string;
  let file: string;
  let eventCount: number;

  const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<AuditCliRun> => runAuditCliCaptured(args, { cwd: dir, workspaceRoot: workspace, env, contexts });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    workspace = join(dir, 'workspace');
    file = join(dir, 'store.sqlite');
    eventCount = (await writeWorldStore(file, world, 20)).log.length;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replay prints, per unit, the formal managers and the holders per task type at T', async () => {
    const run = await cli(['replay', '--context', 'delegation', '--at', '2025-01-20T00:00:00Z', '--store', 'store.sqlite']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain('Leadership as of 2025-01-20T00:00:00.000Z (domain time)');
    expect(run.stdout).toContain('unit u-0 "Unit 0"');
    expect(run.stdout).toContain('formal managers: mgr-0');
    expect(run.stdout).toMatch(/^ {2}\S+ +p-\d-\d on mandate m-\S+ v\d+ from mgr-\d \[u-\d/m);
    expect(run.stdout).toContain('(no holder: the formal manager)');
    expect(run.stderr).toContain(`replay: reading ${file} (SQLite, from --store)`);
  });

  it('replay reads the delegation service’s own store by default', async () => {
    const own = join(workspace, '.local/data/delegation');
    mkdirSync(own, { recursive: true });
    await writeWorldStore(join(own, 'events.sqlite'), world, 3);
    const run = await cli(['replay', '--context', 'delegation', '--at', '2025-01-20T00:00:00Z', '--quiet']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toContain(`replay: reading ${join(own, 'events.sqlite')} (SQLite, from default of --context delegation)`);
    expect(run.stdout).toContain('3 mandates');
  });

  it('replay --json prints the full state, and --unit narrows it', async () => {
    const all = JSON.parse((await cli(['replay', '--context', 'delegation', '--at', '2025-02-01T00:00:00Z', '--store', file, '--json'])).stdout) as Record<
      string,
      unknown[]
    > & {
      stats: { eventsRead: number; position: string };
    };
    expect(all.stats).toMatchObject({
      eventsRead: eventCount,
      position: String(eventCount),
    });
    expect(all['units']).toHaveLength(2);
    expect(all['people']).toHaveLength(8);
    expect(all['taskTypes']).toHaveLength(5);
    expect(all['leadership']).toHaveLength(2);
    expect(all['mandates']!.length).toBeGreaterThan(10);
    const unit = JSON.parse(
      (await cli(['replay', '--context', 'delegation', '--at', '2025-02-01T00:00:00Z', '--store', file, '--json', '--unit', 'u-1'])).stdout,
    ) as Record<string, { scope?: { unitId: string } }[]>;
    expect(unit['mandates']!.length).toBeGreaterThan(0);
    expect(unit['mandates']!.every((mandate) => mandate.scope?.unitId === 'u-1')).toBe(true);
    expect(unit['leadership']).toHaveLength(1);
  });

  it.each([
    [['replay', '--context', 'delegation'], 'replay needs --at'],
    [['replay', '--context', 'delegation', '--at', 'yesterday'], '--at must be an ISO-8601 date-time with offset'],
    [['replay', '--context', 'delegation', '--at', '2025-02-01T00:00:00Z', '--region', 'x'], "Unknown option '--region'"],
  ])('answers bad usage %j with exit code 2 and the usage, which lists the delegation replay', async (args, message) => {
    const run = await cli([...args, '--store', file]);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('npm run audit -- replay --context delegation --at <ISO time> [--unit <unit>] [--json]');
  });

  it('never writes to the store it reads', async () => {
    const before = readFileSync(file);
    await cli(['replay', '--context', 'delegation', '--at', '2025-02-01T00:00:00Z', '--store', file, '--quiet']);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
