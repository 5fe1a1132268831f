import { caseFrameworkCheckCatalogue, caseFrameworkCheckKinds, caseFrameworkCheckSchema } from './framework-checks.catalogue';

describe('framework check catalogue', () => {
  it('publishes the four kinds with a description and a strict params schema each', () => {
    expect(caseFrameworkCheckKinds).toEqual(['cases.max-load-percent', 'cases.no-assign-to-absent', 'cases.priority-ceiling', 'cases.queues-allowed']);
    for (const entry of caseFrameworkCheckCatalogue()) {
      expect(entry.summary.length).toBeGreaterThan(10);
      expect(entry.paramsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('accepts valid checks and refuses unknown kinds, missing or extra params', () => {
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.max-load-percent', params: { percent: 80 } }).success).toBe(true);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.no-assign-to-absent', params: {} }).success).toBe(true);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.priority-ceiling', params: { highest: 'P2' } }).success).toBe(true);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.queues-allowed', params: { queueIds: ['general'] } }).success).toBe(true);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.unknown', params: {} }).success).toBe(false);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.max-load-percent', params: {} }).success).toBe(false);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.priority-ceiling', params: { highest: 'P0' } }).success).toBe(false);
    expect(caseFrameworkCheckSchema.safeParse({ kind: 'cases.queues-allowed', params: { queueIds: [], other: 1 } }).success).toBe(false);
  });
});
