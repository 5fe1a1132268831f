/*
 * Given/when/then for deciders (the shape of emmett's DeciderSpecification). Lives beside the
 * specs because a domain library may not depend on the testing or infrastructure libraries.
 */
import { DomainRuleError, fold, type Decider } from '../lib/shared/decider';

type ErrorClass<T extends DomainRuleError> = abstract new (...args: never[]) => T;

export interface DeciderThen<Event> {
  /** The command produces exactly these events. */
  then(expected: readonly Event[]): void;
  /** The command is accepted and changes nothing (idempotent no-op). */
  thenNothingHappened(): void;
  /** The command is refused with this error class and rule id; `check` may assert details. */
  thenThrows<T extends DomainRuleError>(type: ErrorClass<T>, rule: string, check?: (error: T) => void): void;
}

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (given: readonly Event[]) => ({
      when(command: Command): DeciderThen<Event> {
        const run = (): readonly Event[] => decider.decide(command, fold(decider, given));
        return {
          then: (expected) => expect(run()).toEqual(expected),
          thenNothingHappened: () => expect(run()).toEqual([]),
          thenThrows(type, rule, check) {
            let thrown: unknown = undefined;
            let produced: readonly Event[] | undefined;
            try {
              produced = run();
            } catch (error) {
              thrown = error;
            }
            // Fails with the produced events in the message when nothing was thrown.
            expect({ produced, thrown }).toEqual({ produced: undefined, thrown: expect.any(type) });
            expect((thrown as DomainRuleError).rule).toBe(rule);
            check?.(thrown as Parameters<NonNullable<typeof check>>[0]);
          },
        };
      },
    });
  },
};
