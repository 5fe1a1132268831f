/*
 * Deciders (see event-driven-io/emmett): an aggregate is three pure functions. `decide` turns a
 * command and the current state into events (or throws a typed rule error), `evolve` folds an
 * event into state, `initialState` is the state of an empty stream.
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

export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
