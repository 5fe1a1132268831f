/*
 * Deciders (see event-driven-io/emmett): an aggregate is three pure functions. `decide` turns a
 * command and the current state into events (or throws a typed rule error), `evolve` folds an
 * event into state, `initialState` is the state of an empty stream.
 *
 * The one definition for every context: domain libraries and the event-store port (which runs
 * deciders in `handleCommand`/`readAggregate`) both import it from here.
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

/** The shape of a domain event a decider emits: plain JSON data under a past-tense type. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Exhaustiveness guard for `switch` over a discriminated union: compilation fails on a missing case. */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled variant ${JSON.stringify(value)}`);
}
