import type { RecordedEvent } from '@leadership/event-store';
import { fold } from '@leadership/kernel';
import { mapToKafkaMessages } from '@leadership/messaging-kafka';
import { PlanChanged } from '@leadership/onboarding-contracts';
import { planDecider, planStreamName, type PlanEvent } from '@leadership/onboarding-domain';
import { planIntegrationEvents } from './plan.integration-events';

const ID = '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60';
const registered: PlanEvent = { type: 'PlanRegistered', data: { planId: ID, actorId: 'person-ana', at: '2026-03-02T09:00:00.000Z', title: 'First' } };
const closed: PlanEvent = { type: 'PlanClosed', data: { planId: ID, actorId: 'person-bo', at: '2026-03-03T17:30:00.000Z', reason: 'private reason' } };

function recorded(event: PlanEvent, revision: number, streamName = planStreamName(ID)): RecordedEvent {
  return {
    streamName,
    type: event.type,
    data: event.data,
    metadata: { eventId: `00000000-0000-4000-8000-00000000000${revision}`, actor: event.data.actorId },
    revision,
    position: BigInt(revision + 1),
    recordedAt: event.data.at,
  };
}

describe('plan integration events', () => {
  it('publishes the state after each change, keyed by the plan id, without the close reason', () => {
    const afterClose = fold(planDecider, [registered, closed]);
    const [message, ...more] = mapToKafkaMessages(planIntegrationEvents, recorded(closed, 1), afterClose);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ topic: PlanChanged.topic, key: ID });
    expect(JSON.parse(message?.value ?? '{}')).toEqual({
      planId: ID,
      version: 1,
      change: 'closed',
      status: 'closed',
      title: 'First',
      registeredAt: '2026-03-02T09:00:00.000Z',
      closedAt: '2026-03-03T17:30:00.000Z',
      actorId: 'person-bo',
      occurredAt: '2026-03-03T17:30:00.000Z',
    });
    expect(message?.value).not.toContain('private reason');
  });

  it('maps the same event to the same message (ids derived from the domain event)', () => {
    const state = fold(planDecider, [registered]);
    expect(mapToKafkaMessages(planIntegrationEvents, recorded(registered, 0), state)).toEqual(mapToKafkaMessages(planIntegrationEvents, recorded(registered, 0), state));
  });

  it('publishes nothing for other streams or without a state', () => {
    expect(planIntegrationEvents(recorded(registered, 0, 'other-1'), fold(planDecider, [registered]))).toEqual([]);
    expect(planIntegrationEvents(recorded(registered, 0), undefined)).toEqual([]);
  });
});
