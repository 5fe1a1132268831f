import type { RecordedEvent } from '@leadership/event-store';
import { fold } from '@leadership/kernel';
import { mapToKafkaMessages } from '@leadership/messaging-kafka';
import { PlanChanged } from '@leadership/onboarding-contracts';
import { planDecider, planStreamName, type DecisionStamp, type PlanEvent } from '@leadership/onboarding-domain';
import { planIntegrationEvents } from './plan.integration-events';

const ID = 'person-nina';
const stamp: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' };
const drafted: PlanEvent = { type: 'PlanDrafted', data: { planId: ID, actorId: 'system:directory', at: '2026-03-02T09:00:00.000Z', newcomerId: ID, unitId: 'unit-support' } };
const removed: PlanEvent = { type: 'PlanStepRemoved', data: { planId: ID, actorId: 'person-ana', at: '2026-03-03T09:00:00.000Z', stamp, key: 'x', reason: 'private reason' } };

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
  it('publishes the state after each change, keyed by the newcomer id', () => {
    const [message, ...more] = mapToKafkaMessages(planIntegrationEvents, recorded(drafted, 0), fold(planDecider, [drafted]));
    expect(more).toEqual([]);
    expect(message).toMatchObject({ topic: PlanChanged.topic, key: ID });
    expect(JSON.parse(message?.value ?? '{}')).toEqual({
      newcomerId: ID,
      version: 0,
      change: 'drafted',
      status: 'draft',
      unitId: 'unit-support',
      startDate: null,
      timeZone: null,
      organiserId: null,
      programmes: [],
      steps: [],
      completedAt: null,
      actorId: 'system:directory',
      occurredAt: '2026-03-02T09:00:00.000Z',
    });
  });

  it('maps the same event to the same message (ids derived from the domain event)', () => {
    const state = fold(planDecider, [drafted]);
    expect(mapToKafkaMessages(planIntegrationEvents, recorded(drafted, 0), state)).toEqual(mapToKafkaMessages(planIntegrationEvents, recorded(drafted, 0), state));
  });

  it('publishes nothing for other streams or without a state, and never a removal reason', () => {
    expect(planIntegrationEvents(recorded(drafted, 0, 'other-1'), fold(planDecider, [drafted]))).toEqual([]);
    expect(planIntegrationEvents(recorded(drafted, 0), undefined)).toEqual([]);
    expect(JSON.stringify(planIntegrationEvents(recorded(removed, 1), fold(planDecider, [drafted])))).not.toContain('private reason');
  });
});
