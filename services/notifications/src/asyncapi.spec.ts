import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notificationsAsyncApi } from '@leadership/notifications-contracts';

describe('checked-in AsyncAPI document', () => {
  it('matches the contracts (after changing a contract: npx tsx tools/workspace-plugin/src/generators/service/write-asyncapi.ts . notifications)', () => {
    const checkedIn = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8')) as unknown;
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(notificationsAsyncApi())));
  });

  it('documents every notifications topic and event type', () => {
    const doc = JSON.stringify(notificationsAsyncApi());
    for (const name of ['leadership.notifications.deliveries.v1', 'leadership.notifications.delivery-recorded.v1']) expect(doc).toContain(name);
  });
});
