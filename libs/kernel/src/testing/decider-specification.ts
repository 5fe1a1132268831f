import { fold, type Decider, type DomainRuleError } from '../lib/decider';

/** Any error class, including abstract ones, whose instances a refusal is checked against. */
export type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** The assertions after `when`. Each runs `decide` once on the state folded from `given`. */
export interface DeciderThen<Event> {
  /**
   * The command produces exactly these events, in this order. (Named for given/when/then; the
   * spec is therefore not awaitable — awaiting it fails loudly instead of passing silently.)
   */
  then(expected: readonly Event[]): void;
  /**
   * The command is refused with an instance of `errorClass`; when `rule` is given, the error is a
   * DomainRuleError with that rule id; `check` may assert more (its own `expect`s, or `false` to fail).
   */
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, rule?: string, check?: (error: E) => boolean | void): void;
  /** The command is accepted and produces no events (an idempotent no-op). */
  thenNothingHappens(): void;
}

/** The step after `given(events)`. */
export interface DeciderWhen<Command, Event> {
  when(command: Command): DeciderThen<Event>;
}

/**
 * Given/when/then for deciders (the shape of emmett's DeciderSpecification), the one used by
 * every context's domain specs:
 *
 * ```ts
 * const given = DeciderSpecification.for(tallyDecider);
 * given([added(1)]).when(add(2)).then([added(2)]);
 * given([]).when(add(0)).thenThrows(AmountNotPositive, 'tally.amount-positive');
 * given([added(1)]).when(add(0)).thenNothingHappens();
 * ```
 *
 * `given` takes the events already in the stream (oldest first; `[]` for a new stream). Events
 * are compared structurally with jest's `toEqual`, so a failure shows the diff.
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>): (given: readonly Event[]) => DeciderWhen<Command, Event> {
    return (given) => ({
      when: (command) => {
        const decide = (): readonly Event[] => decider.decide(command, fold(decider, given));
        return {
          then(expected: readonly Event[]): void {
            if (typeof expected === 'function') {
              throw new TypeError('a DeciderSpecification is not a promise: call .then([...events]) without await');
            }
            const produced = decide();
            expect(produced).toEqual(expected);
            // The new events must also fold: a decider whose evolve rejects its own events is broken.
            fold(decider, [...given, ...produced]);
          },
          thenThrows<E extends Error>(errorClass: ErrorClass<E>, rule?: string, check?: (error: E) => boolean | void): void {
            let produced: readonly Event[] | undefined;
            let thrown: unknown;
            try {
              produced = decide();
            } catch (error) {
              thrown = error;
            }
            // One assertion that shows the produced events when nothing was thrown.
            expect({ produced, thrown }).toEqual({ produced: undefined, thrown: expect.any(errorClass) });
            if (rule !== undefined) expect((thrown as Partial<DomainRuleError>).rule).toBe(rule);
            if (check && check(thrown as E) === false) {
              throw new Error(`the ${(thrown as Error).name} thrown does not satisfy the check: ${(thrown as Error).message}`);
            }
          },
          thenNothingHappens(): void {
            expect(decide()).toEqual([]);
          },
        };
      },
    });
  },
};
