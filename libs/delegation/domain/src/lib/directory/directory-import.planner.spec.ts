import { personOf, wouldCreateCycle, type DirectorySnapshot, type PersonRecord, type Unit } from './directory';
import { planDirectoryImport } from './directory-import.planner';

const options = { actorId: 'hr-import', at: '2025-04-01T00:00:00Z' };
const root: Unit = { id: 'root', name: 'Company', parentId: null, managerIds: ['ceo'] };
const sales: Unit = { id: 'sales', name: 'Sales', parentId: 'root', managerIds: ['m-sales'] };
const ada: PersonRecord = { id: 'ada', displayName: 'Ada', email: 'ada@example.org', locale: 'en', unitIds: ['sales'] };
const current: DirectorySnapshot = { units: [root, sales], people: [personOf(ada)] };

const outcomes = (rows: readonly { id: string; outcome: string; reason?: { rule: string } }[]) =>
  rows.map((row) => [row.id, row.outcome, row.reason?.rule]);

describe('planDirectoryImport', () => {
  it('classifies created, updated, unchanged and rejected rows and counts them', () => {
    const plan = planDirectoryImport(
      current,
      {
        units: [root, { ...sales, managerIds: ['m-sales', 'm-2'] }, { id: 'ops', name: 'Ops', parentId: 'root', managerIds: [] }],
        people: [
          ada,
          { ...ada, id: 'bob', email: 'bob@example.org', unitIds: ['ops'] },
          { ...ada, id: 'eve', email: 'not-an-email' },
        ],
      },
      options,
    );
    expect(outcomes(plan.units)).toEqual([
      ['root', 'unchanged', undefined],
      ['sales', 'updated', undefined],
      ['ops', 'created', undefined],
    ]);
    expect(plan.units[1]!.changes).toEqual(['UnitManagersChanged']);
    expect(outcomes(plan.people)).toEqual([
      ['ada', 'unchanged', undefined],
      ['bob', 'created', undefined],
      ['eve', 'rejected', 'directory.invalid-email'],
    ]);
    expect(plan.summary).toEqual({ created: 2, updated: 1, unchanged: 2, rejected: 1 });
  });

  it('gives the commands to send only for created and updated rows', () => {
    const plan = planDirectoryImport(current, { units: [root, { ...sales, name: 'Sales EU' }] }, options);
    expect(plan.units[0]!.command).toBeUndefined();
    expect(plan.units[1]!.command).toEqual({ type: 'UpsertUnit', data: { unit: { ...sales, name: 'Sales EU' }, ...options } });
  });

  it('rejects every row of an id that appears twice in the batch', () => {
    const plan = planDirectoryImport(
      current,
      { units: [{ ...sales, name: 'A' }, root, { ...sales, name: 'B' }], people: [ada, { ...ada, locale: 'de' }] },
      options,
    );
    expect(outcomes(plan.units)).toEqual([
      ['sales', 'rejected', 'directory.duplicate-id-in-batch'],
      ['root', 'unchanged', undefined],
      ['sales', 'rejected', 'directory.duplicate-id-in-batch'],
    ]);
    expect(plan.people.map((row) => row.reason?.rule)).toEqual(['directory.duplicate-id-in-batch', 'directory.duplicate-id-in-batch']);
  });

  it('rejects memberships of unknown units, naming them, but accepts units created in the batch', () => {
    const plan = planDirectoryImport(
      current,
      {
        units: [{ id: 'new', name: 'New', parentId: 'root', managerIds: [] }],
        people: [{ ...ada, id: 'x', unitIds: ['new', 'ghost'] }, { ...ada, id: 'y', unitIds: ['new'] }],
      },
      options,
    );
    expect(outcomes(plan.people)).toEqual([
      ['x', 'rejected', 'directory.unknown-unit'],
      ['y', 'created', undefined],
    ]);
    expect(plan.people[0]!.reason!.message).toContain('ghost');
  });

  it('rejects unknown parents, self parents and cycles, and people in units rejected for it', () => {
    const plan = planDirectoryImport(
      current,
      {
        units: [
          { id: 'orphan', name: 'Orphan', parentId: 'nowhere', managerIds: [] },
          { id: 'child', name: 'Child of orphan', parentId: 'orphan', managerIds: [] },
          { id: 'selfish', name: 'Selfish', parentId: 'selfish', managerIds: [] },
          { ...root, parentId: 'sales' },
        ],
        people: [{ ...ada, id: 'z', unitIds: ['child'] }],
      },
      options,
    );
    expect(outcomes(plan.units)).toEqual([
      ['orphan', 'rejected', 'directory.unknown-parent'],
      ['child', 'rejected', 'directory.unknown-parent'],
      ['selfish', 'rejected', 'directory.unit-own-parent'],
      ['root', 'rejected', 'directory.unit-cycle'],
    ]);
    expect(outcomes(plan.people)).toEqual([['z', 'rejected', 'directory.unknown-unit']]);
  });

  it('rejects a cycle formed only by new rows, and nothing else', () => {
    const plan = planDirectoryImport(
      current,
      {
        units: [
          { id: 'a', name: 'A', parentId: 'b', managerIds: [] },
          { id: 'b', name: 'B', parentId: 'a', managerIds: [] },
          { id: 'c', name: 'C', parentId: 'sales', managerIds: [] },
        ],
      },
      options,
    );
    expect(outcomes(plan.units)).toEqual([
      ['a', 'rejected', 'directory.unit-cycle'],
      ['b', 'rejected', 'directory.unit-cycle'],
      ['c', 'created', undefined],
    ]);
  });

  it('reports the positions it was given (NDJSON lines) and rejects ids that occur again outside the batch', () => {
    const plan = planDirectoryImport(
      current,
      { units: [{ ...sales, name: 'A' }, { ...sales, name: 'B' }], people: [{ ...ada, id: 'bob', email: 'bob@example.org' }, ada] },
      {
        ...options,
        positions: { units: [3, 9], people: [12, 15], label: 'lines' },
        duplicates: { people: new Map([['bob', [12, 40]]]) },
      },
    );
    expect(plan.units.map((row) => [row.row, row.reason?.message])).toEqual([
      [3, 'id "sales" appears in lines 3, 9'],
      [9, 'id "sales" appears in lines 3, 9'],
    ]);
    expect(outcomes(plan.people)).toEqual([
      ['bob', 'rejected', 'directory.duplicate-id-in-batch'],
      ['ada', 'unchanged', undefined],
    ]);
    expect(plan.people.map((row) => row.row)).toEqual([12, 15]);
    expect(plan.people[0]!.reason!.message).toBe('id "bob" appears in lines 12, 40');
  });

  it('plans nothing for an empty batch', () => {
    expect(planDirectoryImport(current, {}, options)).toEqual({
      units: [],
      people: [],
      summary: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
    });
  });
});

describe('wouldCreateCycle', () => {
  const parentOf = new Map<string, string | null>([
    ['root', null],
    ['a', 'root'],
    ['b', 'a'],
  ]);
  it('detects a parent below the unit', () => expect(wouldCreateCycle(parentOf, 'a', 'b')).toBe(true));
  it('detects the unit itself', () => expect(wouldCreateCycle(parentOf, 'a', 'a')).toBe(true));
  it('accepts a parent elsewhere in the tree', () => expect(wouldCreateCycle(parentOf, 'b', 'root')).toBe(false));
  it('accepts no parent', () => expect(wouldCreateCycle(parentOf, 'b', null)).toBe(false));
  it('terminates on a pre-existing loop elsewhere', () => {
    const broken = new Map<string, string | null>([
      ['x', 'y'],
      ['y', 'x'],
    ]);
    expect(wouldCreateCycle(broken, 'a', 'x')).toBe(false);
  });
});
