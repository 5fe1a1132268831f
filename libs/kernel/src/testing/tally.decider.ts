/*
 * A tiny example decider for this library's own specs (and a pattern to copy): a tally that
 * adds positive amounts until it is closed.
 */
import { DomainRuleError, type Decider } from '../lib/decider';

export type TallyCommand = { readonly type: 'Add'; readonly amount: number } | { readonly type: 'Close' };

export type TallyEvent =
  | { readonly type: 'Added'; readonly data: { readonly amount: number } }
  | { readonly type: 'Closed'; readonly data: Record<string, never> };

export type TallyState = { readonly status: 'open' | 'closed'; readonly total: number };

/** Adding zero or a negative amount. */
export class AmountNotPositive extends DomainRuleError {
  constructor(amount: number) {
    super('tally.amount-positive', `amount must be positive, got ${amount}`, { amount });
  }
}

/** Adding to a closed tally. */
export class TallyClosed extends DomainRuleError {
  constructor() {
    super('tally.open', 'the tally is closed');
  }
}

export const added = (amount: number): TallyEvent => ({ type: 'Added', data: { amount } });
export const closed = (): TallyEvent => ({ type: 'Closed', data: {} });

export const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: () => ({ status: 'open', total: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'Added':
        return { ...state, total: state.total + event.data.amount };
      case 'Closed':
        return { ...state, status: 'closed' };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'Add':
        if (state.status === 'closed') throw new TallyClosed();
        if (!(command.amount > 0)) throw new AmountNotPositive(command.amount);
        return [added(command.amount)];
      case 'Close':
        // Closing twice is the same as closing once: accepted, nothing new happens.
        return state.status === 'closed' ? [] : [closed()];
    }
  },
};
