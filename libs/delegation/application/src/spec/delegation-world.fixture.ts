/* A small delegation world for the handler specs: events appended to a real (in-memory SQLite) event store. */
import { randomUUID } from 'node:crypto';
import type { EventStore, ReadOnlyEventStore } from '@leadership/event-store';
import {
  mandateStreamName,
  personStreamName,
  unitStreamName,
  type MandateEvent,
  type MandateProposed,
  type PersonEvent,
  type UnitEvent,
} from '@leadership/delegation-domain';
import type { DomainEvent } from '@leadership/kernel';
import type { ProposeMandateInput } from '../lib/mandate/propose-mandate/propose-mandate.handler';

export const NOW = '2026-04-01T09:00:00.000Z';
export const now = (): Date => new Date(NOW);
export const FROM = '2026-04-02T00:00:00.000Z';
export const UNTIL = '2026-07-01T00:00:00.000Z';

/** `root` (managed by `ceo`) ⊃ `claims` (managed by `m1`, members p1, p2). */
export const CEO = 'ceo';
export const MANAGER = 'm1';
export const DELEGATE = 'p1';
export const COLLEAGUE = 'p2';
export const OUTSIDER = 'x1';
export const UNIT = 'claims';
export const MANDATE_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
export const OTHER_MANDATE_ID = 'aaaaaaaa-0000-4000-8000-000000000002';

/** Appends events to a stream as they would have been recorded earlier. */
export async function given(store: EventStore, stream: string, events: readonly DomainEvent[]): Promise<void> {
  await store.appendToStream(
    stream,
    events.map((e) => ({ type: e.type, data: e.data, metadata: { eventId: randomUUID() } })),
  );
}

/** The stream's events as domain events (type and data). */
export async function eventsIn(store: ReadOnlyEventStore, stream: string): Promise<DomainEvent[]> {
  return (await store.readStream(stream)).map((e) => ({ type: e.type, data: e.data }));
}

export async function givenDirectory(store: EventStore): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  const unit = (id: string, parentId: string | null, managerIds: string[]): UnitEvent => ({
    type: 'UnitRegistered',
    data: { unit: { id, name: id, parentId, managerIds }, actorId: 'hr', at },
  });
  const person = (id: string, unitIds: string[]): PersonEvent => ({
    type: 'PersonRegistered',
    data: { person: { id, displayName: id, email: `${id}@example.test`, locale: 'en', unitIds }, actorId: 'hr', at },
  });
  await given(store, unitStreamName('root'), [unit('root', null, [CEO])]);
  await given(store, unitStreamName(UNIT), [unit(UNIT, 'root', [MANAGER])]);
  for (const id of [DELEGATE, COLLEAGUE, MANAGER]) await given(store, personStreamName(id), [person(id, [UNIT])]);
  await given(store, personStreamName(OUTSIDER), [person(OUTSIDER, ['root'])]);
}

/** A case-distribution mandate (exclusive per queue) for the delegate on queue `motor`. */
export function proposal(overrides: Partial<ProposeMandateInput> = {}): ProposeMandateInput {
  return {
    mandateId: MANDATE_ID,
    delegateId: DELEGATE,
    taskType: 'case-distribution',
    scope: { unitId: UNIT, queueId: 'motor' },
    direction: { purpose: 'Distribute motor claims', successCriteria: ['no case unassigned for a day'] },
    framework: { rules: [{ id: 'r1', text: 'Fair share', mode: 'enforce' }], reservedDecisions: [], escalationContactId: MANAGER },
    authorities: ['cases.assign', 'cases.prioritise'],
    period: { from: FROM, until: UNTIL },
    reviewCadenceDays: 30,
    ...overrides,
  };
}

/** The event a successful proposal of `proposal(overrides)` by the manager records. */
export function proposed(overrides: Partial<ProposeMandateInput> = {}, at = '2026-03-01T09:00:00.000Z'): MandateProposed {
  const { deputyId, authorities, ...terms } = proposal(overrides);
  return {
    type: 'MandateProposed',
    data: {
      ...terms,
      authorities: [...authorities].sort(),
      deputyId: deputyId ?? null,
      delegatorId: MANAGER,
      actorId: MANAGER,
      at,
      basis: { kind: 'formal-manager' },
    },
  };
}

export const accepted = (mandateId = MANDATE_ID): MandateEvent => ({ type: 'MandateAccepted', data: { mandateId, actorId: DELEGATE, at: '2026-03-02T09:00:00.000Z' } });
export const activated = (mandateId = MANDATE_ID): MandateEvent => ({ type: 'MandateActivated', data: { mandateId, actorId: 'system:scheduler', at: FROM } });

/** Given the mandate's history in its stream. */
export function givenMandate(store: EventStore, events: readonly MandateEvent[], mandateId = MANDATE_ID): Promise<void> {
  return given(store, mandateStreamName(mandateId), events);
}

/** Types of the events in the mandate's stream. */
export async function mandateEventTypes(store: ReadOnlyEventStore, mandateId = MANDATE_ID): Promise<string[]> {
  return (await eventsIn(store, mandateStreamName(mandateId))).map((e) => e.type);
}

/** The real store, counting how often each stream is read (to show a handler loads each fact once); `$all` counts reads of the whole log. */
export function countingReads(store: EventStore): { store: EventStore; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const counting: EventStore = {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (name, options) => {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      return store.readStream(name, options);
    },
    readAll: (options) => {
      reads.set('$all', (reads.get('$all') ?? 0) + 1);
      return store.readAll(options);
    },
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  return { store: counting, reads };
}
