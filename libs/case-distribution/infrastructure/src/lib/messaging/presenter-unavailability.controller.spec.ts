import { readAggregate } from '@leadership/event-store';
import { AgentAvailabilityHandler } from '@leadership/case-distribution-application';
import { agentDecider, agentStreamName } from '@leadership/case-distribution-domain';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { PresenterUnavailabilityChanged } from '@leadership/onboarding-contracts';
import { openTestEventStore } from '@leadership/testing';
import { onboardingSourceId, PresenterUnavailabilityController } from './presenter-unavailability.controller';

const window = { from: '2026-10-28T09:00:00.000Z', to: '2026-10-28T10:00:00.000Z' };
const message = (kind: 'unavailable' | 'withdrawn', version: number): CloudEventOf<typeof PresenterUnavailabilityChanged> => {
  const data = { personId: 'person-ben', sessionId: 'session-1', kind, ...window, version, occurredAt: '2026-10-20T08:00:00.000Z' };
  return {
    specversion: '1.0',
    id: `event-${version}`,
    type: PresenterUnavailabilityChanged.type,
    source: '/onboarding',
    time: data.occurredAt,
    subject: `${data.sessionId}:${data.personId}`,
    datacontenttype: 'application/json',
    dataschema: PresenterUnavailabilityChanged.type,
    data,
  };
};

describe('PresenterUnavailabilityController', () => {
  it('records the presenter window on the agent, ignores a redelivery, and withdraws it when the session ends for them', async () => {
    const store = openTestEventStore();
    const controller = new PresenterUnavailabilityController(new AgentAvailabilityHandler(store, () => new Date('2026-10-20T08:00:01.000Z')));
    const agent = async () => {
      const { state } = await readAggregate(store, agentDecider, agentStreamName('person-ben'));
      return state.status === 'none' ? [] : state.unavailability;
    };
    await controller.onPresenterUnavailabilityChanged(message('unavailable', 3));
    await controller.onPresenterUnavailabilityChanged(message('unavailable', 3));
    expect(await agent()).toEqual([expect.objectContaining({ sourceId: onboardingSourceId('session-1'), source: 'onboarding', ...window })]);
    expect(await store.readStream(agentStreamName('person-ben'))).toHaveLength(1);
    await controller.onPresenterUnavailabilityChanged(message('withdrawn', 4));
    expect(await agent()).toEqual([]);
  });
});
