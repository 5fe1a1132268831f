import { at, T0 } from '../../spec/case-distribution.fixtures';
import { slaStatus } from './sla-status';

const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 };
const open = { receivedAt: T0, firstResponseAt: null, resolvedAt: null };
const states = (c: Parameters<typeof slaStatus>[0], now: string) => slaStatus(c, targets, now).map((s) => s.state);

describe('slaStatus', () => {
  it('is ok, then at risk at 80% of the target, then breached at the due time', () => {
    expect(slaStatus(open, targets, at(10))).toEqual([
      { kind: 'first-response', dueAt: at(60), atRiskAt: at(48), state: 'ok', metAt: null },
      { kind: 'resolution', dueAt: at(480), atRiskAt: at(384), state: 'ok', metAt: null },
    ]);
    expect(states(open, at(48))).toEqual(['at-risk', 'ok']);
    expect(states(open, at(60))).toEqual(['breached', 'ok']);
    expect(states(open, at(400))).toEqual(['breached', 'at-risk']);
  });

  it('keeps the verdict of a met target: in time is ok, late stays breached', () => {
    expect(states({ ...open, firstResponseAt: at(59) }, at(500))).toEqual(['ok', 'breached']);
    expect(states({ ...open, firstResponseAt: at(61), resolvedAt: at(480) }, at(500))).toEqual(['breached', 'ok']);
  });
});
