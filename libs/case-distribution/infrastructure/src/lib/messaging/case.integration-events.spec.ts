import type { RecordedEvent } from '@leadership/event-store';
import { fold } from '@leadership/kernel';
import { mapToKafkaMessages } from '@leadership/messaging-kafka';
import { CaseAssignmentEvent, CaseChanged } from '@leadership/case-distribution-contracts';
import { caseDecider, caseStreamName, type CaseEvent } from '@leadership/case-distribution-domain';
import { caseIntegrationEvents } from './case.integration-events';

const ID = '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60';
const stamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' } as const;
const registered: CaseEvent = {
  type: 'CaseRegistered',
  data: { caseId: ID, actorId: 'person-ana', at: '2026-03-02T09:00:00.000Z', queueId: 'general', unitId: 'unit-claims', title: 'First', description: 'private description', priority: 'P3', channel: 'email', requiredSkills: [], preferredSkills: [], externalRef: null, receivedAt: '2026-03-02T09:00:00.000Z' },
};
const assigned: CaseEvent = { type: 'CaseAssigned', data: { caseId: ID, actorId: 'person-ana', at: '2026-03-02T09:10:00.000Z', stamp, assigneeId: 'person-bo', reason: 'knows it', overCapacity: false } };
const resolved: CaseEvent = { type: 'CaseResolved', data: { caseId: ID, actorId: 'person-bo', at: '2026-03-03T17:30:00.000Z', resolution: 'private resolution' } };

function recorded(event: CaseEvent, revision: number, streamName = caseStreamName(ID)): RecordedEvent {
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

describe('case integration events', () => {
  it('publishes the state after each change, keyed by the case id, without free texts', () => {
    const afterResolve = fold(caseDecider, [registered, assigned, resolved]);
    const [message, assignment, ...more] = mapToKafkaMessages(caseIntegrationEvents, recorded(resolved, 2), afterResolve);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ topic: CaseChanged.topic, key: ID });
    expect(assignment).toMatchObject({ topic: CaseAssignmentEvent.topic, key: ID });
    expect(JSON.parse(assignment?.value ?? '{}')).toMatchObject({ caseId: ID, version: 2, kind: 'resolved', agentId: 'person-bo', reason: null, stamp: null, actorId: 'person-bo' });
    expect(assignment?.value).not.toContain('private');
    // Each message its own id, both derived from the domain event (a re-mapped event is the same two messages).
    expect(message?.headers['ce_id']).not.toBe(assignment?.headers['ce_id']);
    expect(JSON.parse(message?.value ?? '{}')).toMatchObject({
      caseId: ID,
      version: 2,
      change: 'resolved',
      status: 'resolved',
      title: 'First',
      assigneeId: 'person-bo',
      resolvedAt: '2026-03-03T17:30:00.000Z',
      decisions: [{ kind: 'assigned', actorId: 'person-ana', basis: 'formal-manager', mandateId: null, mandateVersion: null, at: '2026-03-02T09:10:00.000Z', reason: 'knows it' }],
      actorId: 'person-bo',
      occurredAt: '2026-03-03T17:30:00.000Z',
    });
    expect(message?.value).not.toContain('private');
  });

  it('maps the same event to the same message (ids derived from the domain event)', () => {
    const state = fold(caseDecider, [registered]);
    expect(mapToKafkaMessages(caseIntegrationEvents, recorded(registered, 0), state)).toEqual(mapToKafkaMessages(caseIntegrationEvents, recorded(registered, 0), state));
  });

  it('publishes nothing for other streams or without a state', () => {
    expect(caseIntegrationEvents(recorded(registered, 0, 'other-1'), fold(caseDecider, [registered]))).toEqual([]);
    expect(caseIntegrationEvents(recorded(registered, 0), undefined)).toEqual([]);
  });
});
