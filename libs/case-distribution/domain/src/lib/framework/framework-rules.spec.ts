import { checkFrameworkRules, type CaseAction, type FrameworkRuleCheck } from './framework-rules';

const assign: CaseAction = { type: 'assign', queueId: 'general', assigneeId: 'dan' };
const facts = (load: number, absent = false) => ({ assignee: { load, capacity: 10, caseWeight: 2, absent } });

describe('checkFrameworkRules', () => {
  it('max-load-percent: the load after the assignment against the percentage of capacity', () => {
    const rules: FrameworkRuleCheck[] = [{ kind: 'cases.max-load-percent', params: { percent: 80 }, mode: 'enforce', ruleId: 'r1' }];
    expect(checkFrameworkRules(rules, assign, facts(6))).toEqual([]);
    expect(checkFrameworkRules(rules, assign, facts(7))).toEqual([{ kind: 'cases.max-load-percent', mode: 'enforce', ruleId: 'r1', message: "the assignee's load would be 9 of a capacity of 10, above 80%" }]);
    expect(checkFrameworkRules(rules, { type: 'prioritise', queueId: 'general', priority: 'P1' }, facts(9))).toEqual([]);
  });

  it('no-assign-to-absent: only assignments to someone absent', () => {
    const rules: FrameworkRuleCheck[] = [{ kind: 'cases.no-assign-to-absent', params: {}, mode: 'warn' }];
    expect(checkFrameworkRules(rules, assign, facts(0, true))).toEqual([{ kind: 'cases.no-assign-to-absent', mode: 'warn', ruleId: null, message: 'dan is absent' }]);
    expect(checkFrameworkRules(rules, { ...assign, type: 'reassign' }, facts(0, false))).toEqual([]);
  });

  it('priority-ceiling: no manual priority more urgent than the ceiling', () => {
    const rules: FrameworkRuleCheck[] = [{ kind: 'cases.priority-ceiling', params: { highest: 'P2' }, mode: 'enforce' }];
    expect(checkFrameworkRules(rules, { type: 'prioritise', queueId: 'general', priority: 'P1' }, {})).toHaveLength(1);
    expect(checkFrameworkRules(rules, { type: 'prioritise', queueId: 'general', priority: 'P2' }, {})).toEqual([]);
  });

  it('queues-allowed: the queue acted on, and the target of an overflow', () => {
    const rules: FrameworkRuleCheck[] = [{ kind: 'cases.queues-allowed', params: { queueIds: ['general'] }, mode: 'enforce' }];
    expect(checkFrameworkRules(rules, assign, {})).toEqual([]);
    expect(checkFrameworkRules(rules, { type: 'overflow', queueId: 'general', toQueueId: 'vip' }, {})).toEqual([{ kind: 'cases.queues-allowed', mode: 'enforce', ruleId: null, message: 'queue vip is outside the allowed queues' }]);
  });
});
