import type { EventStore } from '@leadership/event-store';
import { ExclusiveOverlapError, NotFormalManagerError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import {
  COLLEAGUE,
  DELEGATE,
  FROM,
  MANAGER,
  MANDATE_ID,
  OTHER_MANDATE_ID,
  UNIT,
  UNTIL,
  accepted,
  activated,
  eventsIn,
  given,
  givenDirectory,
  givenMandate,
  mandateEventTypes,
  now,
  proposed,
} from '../../../spec/delegation-world.fixture';
import { scopeClaimStreamName, type ExclusiveScopeClaimed } from '../exclusive-scope/exclusive-scope.claims';
import { ExtendMandateHandler } from './extend-mandate.handler';

describe('ExtendMandateHandler', () => {
  let store: EventStore;
  let handler: ExtendMandateHandler;
  const scope = { unitId: UNIT, queueId: 'motor' };
  const claimStream = scopeClaimStreamName('case-distribution', scope);
  const claim = (mandateId: string, from: string, until: string): ExclusiveScopeClaimed => ({ mandateId, taskType: 'case-distribution', scope, period: { from, until }, at: '2026-03-01T09:00:00.000Z' });
  const claims = async () => (await eventsIn(store, claimStream)).map((e) => e.data as ExclusiveScopeClaimed);

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ExtendMandateHandler(store, now);
    await givenDirectory(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await given(store, claimStream, [{ type: 'ExclusiveScopeClaimed', data: claim(MANDATE_ID, FROM, UNTIL) }]);
  });
  afterEach(() => store.close());

  it('extends the period and claims the exclusive scope for the longer period', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, until: '2026-08-01T00:00:00.000Z', expectedVersion: 2 }, { actorId: MANAGER });
    expect(result).toMatchObject({ version: 3, events: ['MandateExtended'], mandate: { period: { until: '2026-08-01T00:00:00.000Z' } } });
    expect((await claims()).map((c) => c.period.until)).toEqual([UNTIL, '2026-08-01T00:00:00.000Z']);
  });

  it('refuses an extension into the period of the next holder of the exclusive scope, naming it', async () => {
    await givenMandate(store, [proposed({ mandateId: OTHER_MANDATE_ID, delegateId: COLLEAGUE, period: { from: UNTIL, until: '2026-10-01T00:00:00.000Z' } })], OTHER_MANDATE_ID);
    await given(store, claimStream, [{ type: 'ExclusiveScopeClaimed', data: claim(OTHER_MANDATE_ID, UNTIL, '2026-10-01T00:00:00.000Z') }]);
    const extension = handler.execute({ mandateId: MANDATE_ID, until: '2026-08-01T00:00:00.000Z' }, { actorId: MANAGER });
    await expect(extension).rejects.toThrow(ExclusiveOverlapError);
    await expect(extension).rejects.toMatchObject({ otherMandateId: OTHER_MANDATE_ID });
    expect(await mandateEventTypes(store)).toHaveLength(3);
    expect(await claims()).toHaveLength(2);
  });

  it('refuses the delegate before claiming anything', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, until: '2026-08-01T00:00:00.000Z' }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    expect(await claims()).toHaveLength(1);
  });

  it('does nothing, and claims nothing, for the current end', async () => {
    expect(await handler.execute({ mandateId: MANDATE_ID, until: UNTIL }, { actorId: MANAGER })).toMatchObject({ version: 2, events: [] });
    expect(await claims()).toHaveLength(1);
  });
});
