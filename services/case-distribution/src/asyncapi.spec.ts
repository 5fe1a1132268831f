import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseDistributionAsyncApi } from '@leadership/case-distribution-contracts';

describe('checked-in AsyncAPI document', () => {
  it('matches the contracts (after changing a contract: npx tsx tools/workspace-plugin/src/generators/service/write-asyncapi.ts . case-distribution)', () => {
    const checkedIn = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8')) as unknown;
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(caseDistributionAsyncApi())));
  });

  it('documents every case distribution topic and event type', () => {
    const doc = JSON.stringify(caseDistributionAsyncApi());
    for (const name of ['leadership.cases.cases.v1', 'leadership.cases.case-changed.v1', 'leadership.cases.assignments.v1', 'leadership.cases.intake.v1', 'leadership.cases.case-submitted.v1']) expect(doc).toContain(name);
  });
});
