/*
 * Deciders (see event-driven-io/emmett): an aggregate is three pure functions. `decide` turns a
 * command and the current state into events (or throws a typed rule error), `evolve` folds an
 * event into state, `initialState` is the state of an empty stream.
 *
 * Kept structurally identical to `Decider`, `DomainRuleError` and `fold` in
 * libs/event-store/src/lib/decider.ts: a domain library may not import infrastructure, and
 * TypeScript's structural typing lets the event-store command handler accept these deciders
 * (and map these errors to 422) without either side knowing the other.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Base class for domain rule violations; `rule` names the broken rule (used in 422 responses). */
export class DomainRuleError extends Error {
  override readonly name: string = 'DomainRuleError';
  constructor(
    readonly rule: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Exhaustiveness guard for `switch` over a discriminated union: compilation fails on a missing case. */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled variant ${JSON.stringify(value)}`);
}
