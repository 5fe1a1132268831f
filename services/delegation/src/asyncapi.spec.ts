import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delegationAsyncApi } from '@leadership/delegation-infrastructure';

describe('checked-in AsyncAPI document', () => {
  it('matches the contracts (run `npm run asyncapi` after changing a contract)', () => {
    const checkedIn = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8')) as unknown;
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(delegationAsyncApi())));
  });

  it('documents every delegation topic and event type', () => {
    const doc = JSON.stringify(delegationAsyncApi());
    for (const name of ['leadership.delegation.mandates.v1', 'leadership.delegation.directory.v1', 'leadership.delegation.mandate-changed.v1', 'leadership.delegation.person-changed.v1', 'leadership.delegation.relay-progress.v1']) {
      expect(doc).toContain(name);
    }
  });
});
