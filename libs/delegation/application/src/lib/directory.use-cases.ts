import { handleCommand, type EventStore } from '@leadership/event-store';
import { personDecider, personStreamName, planDirectoryImport, unitDecider, unitStreamName, PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, type DirectoryImportBatch, type DirectoryImportPlan, type ImportRowReport, type Person, type PersonEvent, type PersonState, type Unit, type UnitEvent, type UnitState } from '@leadership/delegation-domain';
import { DomainRuleError } from '@leadership/kernel';
import { metadataFor, type CommandContext } from '@leadership/kernel';

/** A rejected single upsert: the planner's rule and message. */
export class DirectoryRowRejectedError extends DomainRuleError {
  override readonly name = 'DirectoryRowRejectedError';
}

export interface UpsertResult<T> {
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly version: number;
  readonly value: T;
}

export interface ImportReport {
  readonly summary: DirectoryImportPlan['summary'];
  readonly units: readonly Omit<ImportRowReport<unknown>, 'command'>[];
  readonly people: readonly Omit<ImportRowReport<unknown>, 'command'>[];
}

const PAGE = 1000;

/**
 * Directory upserts and bulk import. The current directory is folded from the event store (not a
 * read model), so parent and membership checks never see stale data; the directory is small
 * compared with the event volume of mandates.
 */
export class DirectoryUseCases {
  constructor(private readonly store: EventStore, private readonly now: () => Date) {}

  async snapshot(): Promise<{ units: Unit[]; people: Person[] }> {
    const units = new Map<string, UnitState>();
    const people = new Map<string, PersonState>();
    let after: bigint | undefined;
    for (;;) {
      const page = await this.store.readAll({
        ...(after !== undefined ? { after } : {}),
        maxCount: PAGE,
        filter: { streamCategories: [UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY] },
      });
      for (const e of page) {
        if (e.streamName.startsWith(`${UNIT_STREAM_CATEGORY}-`)) {
          const id = e.streamName.slice(UNIT_STREAM_CATEGORY.length + 1);
          units.set(id, unitDecider.evolve(units.get(id) ?? unitDecider.initialState(), { type: e.type, data: e.data } as UnitEvent));
        } else {
          const id = e.streamName.slice(PERSON_STREAM_CATEGORY.length + 1);
          people.set(id, personDecider.evolve(people.get(id) ?? personDecider.initialState(), { type: e.type, data: e.data } as PersonEvent));
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.position;
    }
    return {
      units: [...units.values()].flatMap((s) => (s.status === 'registered' ? [s.unit] : [])),
      people: [...people.values()].flatMap((s) => (s.status === 'registered' ? [s.person] : [])),
    };
  }

  private async apply(plan: DirectoryImportPlan, context: CommandContext): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const row of plan.units) {
      if (!row.command) continue;
      const stream = unitStreamName(row.id);
      const result = await handleCommand(this.store, stream, unitDecider, row.command, { metadata: metadataFor(context, stream) });
      versions.set(`unit:${row.id}`, Number(result.nextExpectedRevision));
    }
    for (const row of plan.people) {
      if (!row.command) continue;
      const stream = personStreamName(row.id);
      const result = await handleCommand(this.store, stream, personDecider, row.command, { metadata: metadataFor(context, stream) });
      versions.set(`person:${row.id}`, Number(result.nextExpectedRevision));
    }
    return versions;
  }

  private async single<T>(kind: 'unit' | 'person', batch: DirectoryImportBatch, id: string, value: T, context: CommandContext): Promise<UpsertResult<T>> {
    const plan = planDirectoryImport(await this.snapshot(), batch, { actorId: context.actorId, at: this.now().toISOString() });
    const row = (kind === 'unit' ? plan.units : plan.people)[0];
    if (!row) throw new Error('planner returned no row');
    if (row.outcome === 'rejected') throw new DirectoryRowRejectedError(row.reason?.rule ?? 'directory.rejected', row.reason?.message ?? 'rejected');
    const versions = await this.apply(plan, context);
    const stream = kind === 'unit' ? unitStreamName(id) : personStreamName(id);
    const version = versions.get(`${kind}:${id}`) ?? (await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0]?.revision ?? 0;
    return { outcome: row.outcome, version, value };
  }

  upsertUnit(unit: Unit, context: CommandContext): Promise<UpsertResult<Unit>> {
    return this.single('unit', { units: [unit] }, unit.id, unit, context);
  }

  upsertPerson(person: Person, context: CommandContext): Promise<UpsertResult<Person>> {
    return this.single('person', { people: [person] }, person.id, person, context);
  }

  /** Plans the whole batch, applies the accepted rows, reports every row. */
  async import(batch: DirectoryImportBatch, context: CommandContext, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    const plan = planDirectoryImport(await this.snapshot(), batch, { actorId: context.actorId, at: this.now().toISOString() });
    onProgress?.(0, plan.units.length + plan.people.length);
    await this.apply(plan, context);
    onProgress?.(plan.units.length + plan.people.length, plan.units.length + plan.people.length);
    const strip = ({ command: _command, ...row }: ImportRowReport<unknown>) => row;
    return { summary: plan.summary, units: plan.units.map(strip), people: plan.people.map(strip) };
  }
}
