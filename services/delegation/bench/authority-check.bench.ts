/*
 * npm run bench -- authority-check
 *
 * The local authority check as other services run it: the one `evaluateAuthority(facts, query)`
 * (@leadership/authority-evaluation) over their own in-memory projection of the mandate and
 * directory topics (units by id, mandates by delegate id, in Maps). Second case: the same
 * evaluator over the delegation domain's `AuthorityIndex` of the same world, built once. Third
 * case: the domain's `may(snapshot, query)` as the service's /authority/check calls it, with a
 * fresh index per question over the mandates of the unit chain only (the read-model queries left out).
 *
 * Baseline: the physical limit of the same lookups without the rules — the unit chain walk up
 * the parent Map and the fetch of the delegate's mandate list, which every evaluator must do.
 *
 * The world: 200 units in a 3-level tree (root, 14 divisions, 185 teams), 5,200 people, and
 * 16,000 mandate histories made by the real deciders (the delegation-audit world generator:
 * proposals over 45 days, acceptances, activations, check-ins, amendments, suspensions,
 * extensions, ends), folded as of a fixed "now" — ≥ 10,000 of them in force then. Fixed seed
 * and fixed instant: the same world and the same questions on every run.
 *
 * Throughput: the sides take turns, ROUNDS rounds of ROUND_MS each, over a fixed pool of
 * questions (allowed and denied mixed); the median round is reported. Latency: a separate pass
 * per side over 100,000 questions, each timed with process.hrtime.bigint (whose own cost is
 * reported as the timer overhead, and dominates the baseline's figures).
 */
import { loadavg } from 'node:os';
import { evaluateAuthority, type AuthorityFacts, type AuthorityQuery } from '@leadership/authority-evaluation';
import type { MandateSnapshot as ContractMandate, VersionedMandate } from '@leadership/delegation-contracts';
import {
  AuthorityIndex,
  DEFAULT_TASK_TYPES,
  isInForceAt,
  mandatesAsOf,
  may,
  personDecider,
  PERSON_STREAM_CATEGORY,
  toMillis,
  unitDecider,
  UNIT_STREAM_CATEGORY,
  type AuthoritySnapshot,
  type AuthorityUnit,
  type MandateEvent,
  type MandateSnapshot,
  type PersonEvent,
  type UnitEvent,
} from '@leadership/delegation-domain';
import { directoryStreams, mandateStreams, seededRandom, type WorldOptions, type WorldStream } from '@leadership/delegation-audit/testing';
import { toMandateSnapshot } from '@leadership/delegation-infrastructure';
import { median, percentile, reportBench, round, type BenchCase } from '@leadership/testing';

const MANDATES = 16_000;
const SPAN_DAYS = 45;
const WORLD: WorldOptions = { seed: 20_260_216, start: '2026-01-01T00:00:00.000Z', units: 200, peoplePerUnit: 25, proposalSpacingHours: (SPAN_DAYS * 24) / MANDATES };
/** "Now" for every question: a day after the last proposal, so every stage of a mandate's life occurs. */
const NOW = new Date(toMillis(WORLD.start) + (SPAN_DAYS + 1) * 86_400_000).toISOString();
const MIN_IN_FORCE = 10_000;
const DIVISIONS = 14;
const QUERIES = 100_000;
/** The per-question `may(snapshot)` case is ~50x slower: its latency pass and the agreement check use every 20th question. */
const SAMPLE_EVERY = 20;
/** Odd, so the median is one round's own figure. */
const ROUNDS = 5;
const ROUND_MS = 500;
const WARMUP_MS = 200;

interface World {
  readonly units: readonly AuthorityUnit[];
  readonly people: readonly string[];
  readonly mandates: readonly MandateSnapshot[];
}

const isIn = (category: string) => (stream: WorldStream) => stream.streamName.startsWith(`${category}-`);
const asOfNow = <E>(stream: WorldStream): E[] => stream.events.filter((e) => toMillis(e.data.at) <= toMillis(NOW)) as E[];

/** The generated directory and mandate histories as of NOW; the unit tree reshaped into 3 levels. */
function buildWorld(): World {
  const directory = directoryStreams(WORLD);
  const registered = directory.filter(isIn(UNIT_STREAM_CATEGORY)).flatMap((stream) => {
    const state = asOfNow<UnitEvent>(stream).reduce(unitDecider.evolve, unitDecider.initialState());
    return state.status === 'registered' ? [state.unit] : [];
  });
  // Root, divisions, teams: the generator's random tree is deeper than an organisation chart.
  const root = registered[0]?.id ?? null;
  const units = registered.map((unit, index): AuthorityUnit => ({
    id: unit.id,
    parentId: index === 0 ? null : index <= DIVISIONS ? root : (registered[1 + ((index - DIVISIONS - 1) % DIVISIONS)]?.id ?? root),
    managerIds: unit.managerIds,
  }));
  const people = directory.filter(isIn(PERSON_STREAM_CATEGORY)).flatMap((stream) => {
    const state = asOfNow<PersonEvent>(stream).reduce(personDecider.evolve, personDecider.initialState());
    return state.status === 'registered' ? [state.person.id] : [];
  });
  const events: MandateEvent[] = [];
  for (const stream of mandateStreams(WORLD, MANDATES)) events.push(...(stream.events as MandateEvent[]));
  return { units, people, mandates: mandatesAsOf(events, NOW) };
}

/** What a consuming service keeps from the topics: Maps by the keys the check looks up. */
interface Projection {
  readonly unitsById: ReadonlyMap<string, AuthorityUnit>;
  readonly mandatesByDelegate: ReadonlyMap<string, readonly VersionedMandate[]>;
}

function project(world: World): Projection {
  const mandatesByDelegate = new Map<string, VersionedMandate[]>();
  for (const mandate of world.mandates) {
    const list = mandatesByDelegate.get(mandate.delegateId) ?? [];
    list.push({ version: mandate.version, mandate: toMandateSnapshot(mandate) });
    mandatesByDelegate.set(mandate.delegateId, list);
  }
  return { unitsById: new Map(world.units.map((unit) => [unit.id, unit])), mandatesByDelegate };
}

const ALL_AUTHORITIES = [...new Set(DEFAULT_TASK_TYPES.flatMap((t) => t.grantableAuthorities))].sort();

/**
 * A fixed pool of questions, roughly: 45 % a delegate using an authority of a mandate in force,
 * in its scope; 10 % a formal manager of the unit or an ancestor; 15 % a delegate using a
 * mandate's authority outside its scope (another unit or queue); 15 % an authority of a mandate
 * not in force (proposed, accepted, suspended, declined, ended); 15 % anyone, anywhere, anything.
 */
function questions(world: World, index: AuthorityIndex): AuthorityQuery[] {
  const random = seededRandom(WORLD.seed ^ 0x2545f491);
  // An amendment may narrow a mandate to nothing in force until the delegate accepts the rest.
  const granting = world.mandates.filter((m) => m.authorities.length > 0);
  const inForce = granting.filter((m) => isInForceAt(m, NOW)).map(toMandateSnapshot);
  const notInForce = granting.filter((m) => !isInForceAt(m, NOW)).map(toMandateSnapshot);
  const at = NOW;
  const inScope = (m: ContractMandate): Omit<AuthorityQuery, 'personId' | 'authority' | 'at'> => ({
    unitId: m.scope.unitId,
    ...(m.scope.queueId !== undefined ? { queueId: m.scope.queueId } : random.next() < 0.3 ? { queueId: `q-${random.below(2)}` } : {}),
    ...(m.scope.projectId !== undefined ? { projectId: m.scope.projectId } : {}),
  });
  const otherUnit = (unitId: string): string => {
    const other = random.pick(world.units).id;
    return other === unitId ? random.pick(world.units).id : other;
  };
  return Array.from({ length: QUERIES }, (): AuthorityQuery => {
    const roll = random.next();
    if (roll < 0.45) {
      const m = random.pick(inForce);
      return { personId: m.delegateId, authority: random.pick(m.authorities), ...inScope(m), at };
    }
    if (roll < 0.55) {
      const unitId = random.pick(world.units).id;
      const managers = random.pick(index.ancestry(unitId)).managerIds;
      return { personId: random.pick(managers), authority: random.pick(ALL_AUTHORITIES), unitId, at };
    }
    if (roll < 0.7) {
      const m = random.pick(inForce);
      const elsewhere = m.scope.queueId !== undefined && random.next() < 0.5 ? { unitId: m.scope.unitId, queueId: `${m.scope.queueId}-other` } : { unitId: otherUnit(m.scope.unitId) };
      return { personId: m.delegateId, authority: random.pick(m.authorities), ...elsewhere, at };
    }
    if (roll < 0.85) {
      const m = random.pick(notInForce);
      return { personId: m.delegateId, authority: random.pick(m.authorities), ...inScope(m), at };
    }
    return { personId: random.pick(world.people), authority: random.pick(ALL_AUTHORITIES), unitId: random.pick(world.units).id, at };
  });
}

/** One way of answering a question; returns 1 when allowed (summed, so no answer is optimised away). */
type Answer = (query: AuthorityQuery) => number;

interface Side {
  readonly name: string;
  readonly answer: Answer;
  /** Questions of the latency pass: the pool, or a sample of it for a slow side. */
  readonly timed: readonly AuthorityQuery[];
  readonly rates: number[];
}

let sink = 0;

/** Answers questions from the pool, in order and round the pool, for `ms`; answers/s. */
function throughput(answer: Answer, pool: readonly AuthorityQuery[], start: number, ms: number): number {
  const budget = BigInt(ms) * 1_000_000n;
  const began = process.hrtime.bigint();
  let answered = 0;
  let next = start;
  let elapsed = 0n;
  do {
    // Check the clock once per 256 answers: reading it costs as much as a raw lookup.
    for (let i = 0; i < 256; i++) {
      sink += answer(pool[next] as AuthorityQuery);
      next = next + 1 === pool.length ? 0 : next + 1;
    }
    answered += 256;
    elapsed = process.hrtime.bigint() - began;
  } while (elapsed < budget);
  return answered / (Number(elapsed) / 1e9);
}

/** Each answer timed on its own, in ns. */
function latencies(answer: Answer, pool: readonly AuthorityQuery[]): Float64Array {
  const took = new Float64Array(pool.length);
  for (let i = 0; i < pool.length; i++) {
    const began = process.hrtime.bigint();
    sink += answer(pool[i] as AuthorityQuery);
    took[i] = Number(process.hrtime.bigint() - began);
  }
  return took;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function main(): void {
  const began = performance.now();
  const load = loadavg()[0] ?? 0;
  const world = buildWorld();
  const inForce = world.mandates.filter((m) => isInForceAt(m, NOW)).length;
  if (inForce < MIN_IN_FORCE) throw new Error(`only ${inForce} mandates in force at ${NOW}; the benchmark needs ≥ ${MIN_IN_FORCE}`);
  const { unitsById, mandatesByDelegate } = project(world);
  const facts: AuthorityFacts = { unit: (id) => unitsById.get(id), mandatesOfDelegate: (id) => mandatesByDelegate.get(id) ?? [] };
  const index = new AuthorityIndex({ units: world.units, mandates: world.mandates });
  // What the service's read model hands `may` per question: the unit chain and its units' mandates.
  const snapshotOfUnit = new Map<string, AuthoritySnapshot>(
    world.units.map((unit) => {
      const chain = index.ancestry(unit.id);
      const ids = new Set(chain.map((u) => u.id));
      return [unit.id, { units: chain, mandates: world.mandates.filter((m) => ids.has(m.scope.unitId)) }];
    }),
  );
  const pool = questions(world, index);
  const sample = pool.filter((_, i) => i % SAMPLE_EVERY === 0);
  const setupSeconds = (performance.now() - began) / 1000;

  const sides: Side[] = [
    {
      name: 'raw lookups (baseline)',
      answer: (q) => {
        let hops = 0;
        for (let id: string | null = q.unitId; id !== null && hops < 16; hops++) id = unitsById.get(id)?.parentId ?? null;
        return hops + (mandatesByDelegate.get(q.personId)?.length ?? 0);
      },
      timed: pool,
      rates: [],
    },
    { name: 'evaluateAuthority over a projection', answer: (q) => (evaluateAuthority(facts, q).allowed ? 1 : 0), timed: pool, rates: [] },
    { name: 'evaluateAuthority over the domain index', answer: (q) => (index.may(q).allowed ? 1 : 0), timed: pool, rates: [] },
    {
      name: 'domain may(snapshot) per question',
      answer: (q) => (may(snapshotOfUnit.get(q.unitId) as AuthoritySnapshot, q).allowed ? 1 : 0),
      timed: sample,
      rates: [],
    },
  ];

  // One evaluator, two kinds of facts (published snapshots, domain state): they must answer alike,
  // or the figures compare different answers.
  let allowed = 0;
  let disagreements = 0;
  pool.forEach((q, i) => {
    const contract = evaluateAuthority(facts, q);
    const domain = index.may(q);
    if (contract.allowed) allowed++;
    if (contract.allowed !== domain.allowed || contract.mandateId !== domain.mandateId || contract.mandateVersion !== domain.mandateVersion) disagreements++;
    if (i % SAMPLE_EVERY === 0 && may(snapshotOfUnit.get(q.unitId) as AuthoritySnapshot, q).allowed !== domain.allowed) disagreements++;
  });

  for (const side of sides) throughput(side.answer, pool, 0, WARMUP_MS);
  let start = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Turns rotate, so no side always runs right after the same other side's garbage.
    for (let turn = 0; turn < sides.length; turn++) {
      const side = sides[(round + turn) % sides.length] as Side;
      gc();
      side.rates.push(throughput(side.answer, pool, start, ROUND_MS));
    }
    start = (start + 9_973) % pool.length;
  }
  const timer = latencies(() => 0, pool);
  const latency = sides.map((side) => {
    gc();
    return latencies(side.answer, side.timed);
  });

  const us = (ns: number): number => round(ns / 1000, 3);
  const rates = sides.map((side) => median(side.rates));
  const [baseline = 0, ...candidates] = rates;
  const cases: BenchCase[] = sides.slice(1).map((side, i) => ({ case: side.name, unit: 'answers/s', baseline, candidate: candidates[i] ?? 0, ratio: (candidates[i] ?? 0) / baseline }));
  const extra: Record<string, number | string> = {
    now: NOW,
    units: world.units.length,
    people: world.people.length,
    'mandates (any status)': world.mandates.length,
    'mandates in force at now': inForce,
    'delegates with mandates': mandatesByDelegate.size,
    questions: pool.length,
    'questions timed, per-question may(snapshot)': sample.length,
    'load average (1 min) at start': round(load, 2),
    'allowed share': round(allowed / pool.length),
    'disagreements between the facts': disagreements,
    'setup s (generate + fold + index)': round(setupSeconds, 1),
    'timer overhead p50 µs': us(percentile(timer, 50)),
  };
  sides.forEach((side, i) => {
    extra[`${side.name}: p50 µs`] = us(percentile(latency[i] as Float64Array, 50));
    extra[`${side.name}: p99 µs`] = us(percentile(latency[i] as Float64Array, 99));
  });
  if (disagreements > 0) console.warn(`warning: the published snapshots and the domain state answer differently on ${disagreements} of ${pool.length} questions`);
  reportBench({
    name: 'authority-check',
    unit: 'answers/s',
    baseline,
    candidate: candidates[0] ?? 0,
    ratio: (candidates[0] ?? 0) / baseline,
    cases,
    extra,
    notes:
      'Overall = the one evaluateAuthority (what consuming services run) over Maps of units by id and mandates by delegate id. ' +
      'Baseline = the same lookups without the rules (unit chain walk + the delegate\'s mandate list). ' +
      `Median of ${ROUNDS} rounds of ${ROUND_MS} ms per side, sides rotating; latencies from a separate pass of ${QUERIES} timed questions per side (timer overhead included). ` +
      `The per-question may(snapshot) case builds an AuthorityIndex over the unit chain's mandates on every call, as the service's /authority/check does after its read-model queries. checksum ${sink}`,
  });
}

main();
