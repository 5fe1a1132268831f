import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TASK_TYPES, isInForceAt, leadershipMap, mandatesAsOf, personDecider, taskTypeDecider, toMillis, unitDecider, type MandateEvent } from '@leadership/delegation-domain';
import { type Decider } from '@leadership/kernel';
import { type ReadOnlyEventStore } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import {
  appendInterleaved,
  directoryStreams,
  foldMandateNaively,
  interleaveByTime,
  mandateStreams,
  type WorldEvent,
  type WorldOptions,
  type WorldStream,
} from '../../testing';
import { HashChainedEventStore } from '@leadership/audit';
import { leadershipAsOf } from './leadership-as-of';
import { replayStateAt } from './replay-state-at';

const world: WorldOptions = { seed: 42, start: '2025-01-01T00:00:00Z', units: 4, peoplePerUnit: 4, proposalSpacingHours: 30 };

/** Brute force: the stream's events with at <= asOf, folded from the initial state. */
function foldNaively<State>(decider: Pick<Decider<unknown, never, State>, 'initialState'> & { evolve(state: State, event: never): State }, events: readonly WorldEvent[], asOf: string): State {
  return events.filter((event) => toMillis(event.data.at) <= toMillis(asOf)).reduce((state, event) => decider.evolve(state, event as never), decider.initialState());
}

describe('replayStateAt', () => {
  let dir: string;
  let file: string;
  let store: ReadOnlyEventStore;
  let streams: WorldStream[];
  let mandates: WorldStream[];
  let log: ReturnType<typeof interleaveByTime>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-replay-'));
    file = join(dir, 'store.sqlite');
    mandates = [...mandateStreams(world, 40)];
    streams = [...directoryStreams(world), ...mandates];
    log = interleaveByTime(streams);
    const writer = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
    await appendInterleaved(writer, log);
    // Events of other contexts share the log; replay must step over them.
    await writer.appendToStream('case-c-1', [{ type: 'CaseOpened', data: { at: '2025-02-01T00:00:00Z' }, metadata: { eventId: randomUUID() } }]);
    await writer.close();
    store = SqliteEventStore.openReadOnly(file);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a history worth checking: hundreds of events of every mandate lifecycle step', () => {
    expect(log.length).toBeGreaterThan(300);
    const types = new Set(mandates.flatMap((stream) => stream.events.map((event) => event.type)));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['MandateProposed', 'MandateAccepted', 'MandateActivated', 'MandateSuspended', 'MandateResumed', 'MandateRevoked', 'MandateExpired', 'MandateCheckInRecorded']),
    );
  });

  const instants = (): string[] => {
    const times = log.map((entry) => entry.event.data.at);
    return [
      '2024-12-31T23:59:59Z', // before anything
      world.start, // exactly when the directory was registered: inclusive bound
      times[Math.floor(times.length / 4)]!, // exactly an event's instant
      '2025-02-15T12:00:00+01:00', // with an offset
      times[Math.floor(times.length / 2)]!,
      '2025-04-02T00:00:00Z', // after the directory changes (day 60, day 90)
      '2026-06-01T00:00:00Z', // after everything
    ];
  };

  it.each([0, 1, 2, 3, 4, 5, 6])('matches a brute-force fold of the events with at <= T (instant #%i)', async (index) => {
    const at = instants()[index]!;
    const state = await replayStateAt(store, at, { pageSize: 33 });

    const expectedMandates = new Map<string, unknown>();
    for (const stream of mandates) {
      const folded = foldMandateNaively(stream.events, at);
      const applied = stream.events.filter((event) => toMillis(event.data.at) <= toMillis(at)).length;
      if (folded.status !== 'none') expectedMandates.set(folded.mandateId, { ...folded, version: applied - 1 });
    }
    expect(new Map(state.mandates)).toEqual(expectedMandates);

    const expectedOf = <State, Value>(category: string, decider: Parameters<typeof foldNaively<State>>[0], value: (state: State) => readonly [string, Value] | undefined) => {
      const expected = new Map<string, Value>();
      for (const stream of streams.filter((s) => s.streamName.startsWith(`${category}-`))) {
        const entry = value(foldNaively(decider, stream.events, at));
        if (entry) expected.set(entry[0], entry[1]);
      }
      return expected;
    };
    expect(state.units).toEqual(expectedOf('unit', unitDecider, (s) => (s.status === 'registered' ? [s.unit.id, s.unit] : undefined)));
    expect(state.people).toEqual(expectedOf('person', personDecider, (s) => (s.status === 'registered' ? [s.person.id, s.person] : undefined)));
    expect(state.taskTypes).toEqual(expectedOf('tasktype', taskTypeDecider, (s) => (s.status === 'defined' ? [s.definition.key, s.definition] : undefined)));
    expect(state.at).toBe(new Date(at).toISOString());
    expect(state.stats).toMatchObject({ eventsRead: log.length + 1, skippedUnknownType: 0, skippedWithoutTime: 0, position: BigInt(log.length + 1) });
  });

  it('sees mandates in force and directory changes at the instants checked (so the comparison means something)', async () => {
    const mid = await replayStateAt(store, '2025-02-15T00:00:00Z');
    expect([...mid.mandates.values()].filter((mandate) => isInForceAt(mandate, mid.at)).length).toBeGreaterThan(3);
    const before = await replayStateAt(store, '2025-02-01T00:00:00Z');
    const after = await replayStateAt(store, '2025-04-02T00:00:00Z');
    expect(before.units.get('u-1')?.managerIds).toEqual(['mgr-1']);
    expect(after.units.get('u-1')?.managerIds).toEqual(['mgr-1', 'p-1-0']);
  });

  it('agrees with the domain’s own as-of fold and leadership map', async () => {
    for (const at of instants()) {
      const state = await replayStateAt(store, at);
      const mandateEvents = log.filter((entry) => entry.streamName.startsWith('delegation-')).map((entry) => entry.event as MandateEvent);
      expect(new Map(state.mandates)).toEqual(new Map(mandatesAsOf(mandateEvents, at).map((snapshot) => [snapshot.mandateId, snapshot])));
      const snapshot = { units: [...state.units.values()], mandates: [...state.mandates.values()] };
      for (const map of leadershipAsOf(state)) {
        expect(map).toEqual(leadershipMap(snapshot, DEFAULT_TASK_TYPES, map.unitId, state.at));
      }
    }
  });

  it('keeps only one unit’s mandates with a unit filter, and the whole directory', async () => {
    const at = '2025-03-01T00:00:00Z';
    const all = await replayStateAt(store, at);
    const unit = await replayStateAt(store, at, { unitId: 'u-2' });
    const expected = [...all.mandates.values()].filter((mandate) => mandate.scope.unitId === 'u-2');
    expect(expected.length).toBeGreaterThan(0);
    expect([...unit.mandates.values()]).toEqual(expected);
    expect(unit.units).toEqual(all.units);
    expect(leadershipAsOf(unit, { unitId: 'u-2' })).toEqual(leadershipAsOf(all, { unitId: 'u-2' }));
  });

  it('reports progress while streaming and counts events it cannot fold', async () => {
    const withOddEvents = join(dir, 'odd.sqlite');
    const writer = new SqliteEventStore(withOddEvents);
    await writer.appendToStream('delegation-x', [{ type: 'MandateTeleported', data: { at: '2025-01-01T00:00:00Z' }, metadata: { eventId: randomUUID() } }]);
    await writer.appendToStream('unit-x', [{ type: 'UnitRegistered', data: { unit: { id: 'x' } }, metadata: { eventId: randomUUID() } }]);
    await writer.close();
    const reader = SqliteEventStore.openReadOnly(withOddEvents);
    const state = await replayStateAt(reader, '2025-02-01T00:00:00Z');
    await reader.close();
    expect(state.stats).toMatchObject({ eventsRead: 2, eventsApplied: 0, skippedUnknownType: 1, skippedWithoutTime: 1 });

    const percents: (number | undefined)[] = [];
    await replayStateAt(store, '2025-02-01T00:00:00Z', { pageSize: 10, progressIntervalMs: 0, onProgress: (progress) => percents.push(progress.percent) });
    expect(percents.length).toBeGreaterThan(10);
    expect(percents.at(-1)).toBe(100);
    expect(percents).toEqual([...percents].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('refuses an instant without offset', async () => {
    await expect(replayStateAt(store, '2025-02-01T00:00:00')).rejects.toThrow(RangeError);
  });
});
