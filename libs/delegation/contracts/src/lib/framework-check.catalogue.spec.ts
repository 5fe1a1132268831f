import { z } from 'zod';
import { FrameworkCheckCatalogue, type FrameworkCheckDefinition } from './framework-check.catalogue';

const maxLoad: FrameworkCheckDefinition = {
  kind: 'cases.max-load-percent',
  context: 'case-distribution',
  summary: 'No agent above this share of their capacity',
  params: z.strictObject({ percent: z.number().int().min(1).max(200) }),
};

describe('FrameworkCheckCatalogue', () => {
  const catalogue = new FrameworkCheckCatalogue([maxLoad]);

  it('accepts rules without a check and rules whose check parses', () => {
    expect(catalogue.problemsWith([{ id: 'r1' }, { id: 'r2', check: { kind: 'cases.max-load-percent', params: { percent: 80 } } }])).toEqual([]);
  });

  it('names each rule with an unknown kind or refused params', () => {
    expect(
      catalogue.problemsWith([
        { id: 'r1', check: { kind: 'cases.nope', params: {} } },
        { id: 'r2', check: { kind: 'cases.max-load-percent', params: { percent: 0 } } },
        { id: 'r3', check: { kind: 'cases.max-load-percent', params: { percent: 50, extra: 1 } } },
      ]),
    ).toEqual([
      { ruleId: 'r1', problem: 'unknown check kind cases.nope (known: cases.max-load-percent)' },
      { ruleId: 'r2', problem: expect.stringMatching(/^params of cases\.max-load-percent: percent /) },
      { ruleId: 'r3', problem: expect.stringMatching(/^params of cases\.max-load-percent: \(params\) Unrecognized key/) },
    ]);
  });

  it('describes each kind with the JSON Schema of its params', () => {
    expect(catalogue.describe()).toEqual([
      { kind: 'cases.max-load-percent', context: 'case-distribution', summary: maxLoad.summary, params: expect.objectContaining({ type: 'object', required: ['percent'], additionalProperties: false }) },
    ]);
  });

  it('refuses a kind published twice or not shaped <area>.<name>', () => {
    expect(() => new FrameworkCheckCatalogue([maxLoad, maxLoad])).toThrow('published twice');
    expect(() => new FrameworkCheckCatalogue([{ ...maxLoad, kind: 'MaxLoad' }])).toThrow('kebab-case');
  });
});
