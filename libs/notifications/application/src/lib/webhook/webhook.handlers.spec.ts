import { openTestEventStore } from '@leadership/testing';
import { WebhookNotFoundError } from '@leadership/notifications-domain';
import { NotificationBoard } from '../dispatch/notification-board';
import { ListWebhooksQuery, PutWebhookHandler, SetWebhookStatusHandler } from './webhook.handlers';

const context = { actorId: 'person-admin' };
const now = () => new Date('2026-03-02T08:00:00.000Z');

describe('webhook subscriptions (real event store)', () => {
  it('disables with a reason and enables again; the list follows at once and never shows a secret', async () => {
    const store = openTestEventStore();
    const changed = jest.fn();
    const put = new PutWebhookHandler(store, now, changed);
    const status = new SetWebhookStatusHandler(store, now, changed);
    const list = new ListWebhooksQuery(new NotificationBoard(store));
    const created = await put.execute({ webhookId: 'hr', url: 'https://hr.example/hook', eventTypes: ['mandate.*'] }, context);
    await put.execute({ webhookId: 'crm', url: 'https://crm.example/hook', eventTypes: ['api.crm'] }, context);

    await expect(status.execute({ webhookId: 'hr', enabled: false, reason: '  ' }, context)).rejects.toThrow();
    expect(await status.execute({ webhookId: 'hr', enabled: false, reason: 'receiver rebuilt' }, context)).toMatchObject({ status: 'disabled', version: 1 });
    // A repeated disable changes nothing (no event, nobody nudged).
    changed.mockClear();
    expect(await status.execute({ webhookId: 'hr', enabled: false, reason: 'again' }, context)).toMatchObject({ status: 'disabled', version: 1 });
    expect(changed).not.toHaveBeenCalled();

    const listed = await list.execute();
    expect(listed.items).toEqual([
      { webhookId: 'crm', url: 'https://crm.example/hook', eventTypes: ['api.crm'], status: 'enabled', secretsInForce: 1 },
      { webhookId: 'hr', url: 'https://hr.example/hook', eventTypes: ['mandate.*'], status: 'disabled', secretsInForce: 1 },
    ]);
    expect(JSON.stringify(listed)).not.toContain(String(created.secret));

    expect(await status.execute({ webhookId: 'hr', enabled: true }, context)).toMatchObject({ status: 'enabled', version: 2 });
    expect((await list.execute()).items.find((w) => w.webhookId === 'hr')?.status).toBe('enabled');
    await expect(status.execute({ webhookId: 'nobody', enabled: true }, context)).rejects.toBeInstanceOf(WebhookNotFoundError);
  });
});
