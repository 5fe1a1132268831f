import { DomainRuleError } from '../lib/decider';
import { DeciderSpecification } from './decider-specification';
import { AmountNotPositive, TallyClosed, added, closed, tallyDecider } from './tally.decider';

const given = DeciderSpecification.for(tallyDecider);

describe('DeciderSpecification on the example tally decider', () => {
  describe('passes when the decider does what it says', () => {
    it('then: the command produces exactly these events', () => {
      given([]).when({ type: 'Add', amount: 2 }).then([added(2)]);
      given([added(1)]).when({ type: 'Close' }).then([closed()]);
    });

    it('thenThrows: the command is refused with this error class (rule and check)', () => {
      given([added(1), closed()]).when({ type: 'Add', amount: 1 }).thenThrows(TallyClosed);
      given([]).when({ type: 'Add', amount: 0 }).thenThrows(AmountNotPositive, 'tally.amount-positive');
      given([]).when({ type: 'Add', amount: -1 }).thenThrows(DomainRuleError, 'tally.amount-positive', (error) => error.details['amount'] === -1);
    });

    it('thenNothingHappens: the command is accepted as a no-op', () => {
      given([closed()]).when({ type: 'Close' }).thenNothingHappens();
    });
  });

  describe('fails when the decider does something else', () => {
    it('then fails on other events, on missing events and on a refusal', () => {
      expect(() => given([]).when({ type: 'Add', amount: 2 }).then([added(3)])).toThrow();
      expect(() => given([]).when({ type: 'Add', amount: 2 }).then([])).toThrow();
      expect(() => given([closed()]).when({ type: 'Add', amount: 2 }).then([added(2)])).toThrow(TallyClosed);
    });

    it('thenThrows fails when nothing is thrown, on another error class, on another rule, or when the check does not hold', () => {
      expect(() => given([]).when({ type: 'Add', amount: 2 }).thenThrows(TallyClosed)).toThrow();
      expect(() => given([closed()]).when({ type: 'Add', amount: 2 }).thenThrows(AmountNotPositive)).toThrow();
      expect(() => given([closed()]).when({ type: 'Add', amount: 2 }).thenThrows(TallyClosed, 'other')).toThrow();
      expect(() => given([closed()]).when({ type: 'Add', amount: 2 }).thenThrows(TallyClosed, 'tally.open', (error) => error.details['x'] === 1)).toThrow(
        /does not satisfy the check/,
      );
    });

    it('thenNothingHappens fails when events are produced', () => {
      expect(() => given([]).when({ type: 'Close' }).thenNothingHappens()).toThrow();
    });

    it('refuses to be awaited instead of passing silently', async () => {
      const then = given([]).when({ type: 'Close' });
      await expect(Promise.resolve().then(() => then as unknown as PromiseLike<unknown>)).rejects.toThrow(/not a promise/);
    });

    it('then fails when evolve cannot fold the produced events', () => {
      const broken = DeciderSpecification.for({
        ...tallyDecider,
        evolve: () => {
          throw new Error('evolve is broken');
        },
      });
      expect(() => broken([]).when({ type: 'Add', amount: 1 }).then([added(1)])).toThrow('evolve is broken');
    });
  });
});
