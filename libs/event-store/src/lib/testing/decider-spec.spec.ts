import { DomainRuleError } from '../decider';
import { DeciderSpecification } from './decider-spec';
import { AmountNotPositive, TallyClosed, added, closed, tallyDecider } from './tally.decider';

const spec = DeciderSpecification.for(tallyDecider);

describe('DeciderSpecification on the example tally decider', () => {
  describe('passes when the decider does what it says', () => {
    it('then: the command produces exactly these events', () => {
      spec.given([]).when({ type: 'Add', amount: 2 }).then([added(2)]);
      spec.given([added(1)]).when({ type: 'Close' }).then([closed()]);
    });

    it('thenThrows: the command is refused with this error class (and predicate)', () => {
      spec.given([added(1), closed()]).when({ type: 'Add', amount: 1 }).thenThrows(TallyClosed);
      spec.given([]).when({ type: 'Add', amount: 0 }).thenThrows(AmountNotPositive, (error) => error.rule === 'tally.amount-positive');
      spec.given([]).when({ type: 'Add', amount: -1 }).thenThrows(DomainRuleError, (error) => error.details['amount'] === -1);
    });

    it('thenNothingHappens: the command is accepted as a no-op', () => {
      spec.given([closed()]).when({ type: 'Close' }).thenNothingHappens();
    });
  });

  describe('fails when the decider does something else', () => {
    it('then fails on other events, on missing events and on a refusal', () => {
      expect(() => spec.given([]).when({ type: 'Add', amount: 2 }).then([added(3)])).toThrow();
      expect(() => spec.given([]).when({ type: 'Add', amount: 2 }).then([])).toThrow();
      expect(() => spec.given([closed()]).when({ type: 'Add', amount: 2 }).then([added(2)])).toThrow(TallyClosed);
    });

    it('thenThrows fails when nothing is thrown, on another error class, or when the predicate does not hold', () => {
      expect(() => spec.given([]).when({ type: 'Add', amount: 2 }).thenThrows(TallyClosed)).toThrow();
      expect(() => spec.given([closed()]).when({ type: 'Add', amount: 2 }).thenThrows(AmountNotPositive)).toThrow();
      expect(() => spec.given([closed()]).when({ type: 'Add', amount: 2 }).thenThrows(TallyClosed, (error) => error.rule === 'other')).toThrow(
        /does not satisfy the predicate/,
      );
    });

    it('thenNothingHappens fails when events are produced', () => {
      expect(() => spec.given([]).when({ type: 'Close' }).thenNothingHappens()).toThrow();
    });

    it('refuses to be awaited instead of passing silently', async () => {
      const then = spec.given([]).when({ type: 'Close' });
      await expect(Promise.resolve().then(() => then as unknown as PromiseLike<unknown>)).rejects.toThrow(/not a promise/);
    });

    it('then fails when evolve cannot fold the produced events', () => {
      const broken = DeciderSpecification.for({
        ...tallyDecider,
        evolve: () => {
          throw new Error('evolve is broken');
        },
      });
      expect(() => broken.given([]).when({ type: 'Add', amount: 1 }).then([added(1)])).toThrow('evolve is broken');
    });
  });
});
