import type { RecordedEvent } from '@leadership/event-store';
import { mapToKafkaMessages } from '@leadership/messaging-kafka';
import { PresenterUnavailabilityChanged, SessionChanged, SessionReminderDue, TaskReminderDue } from '@leadership/onboarding-contracts';
import { presenterStreamName, reminderStreamName, sessionStreamName, type ExistingSession, type PresenterEvent, type ReminderEvent, type SessionEvent } from '@leadership/onboarding-domain';
import { onboardingIntegrationEvents } from './onboarding.integration-events';

function recorded(streamName: string, event: PresenterEvent | ReminderEvent | SessionEvent, revision: number, eventId: string): RecordedEvent {
  return { streamName, type: event.type, data: event.data, metadata: { eventId, actor: event.data.actorId }, revision, position: BigInt(revision + 1), recordedAt: event.data.at };
}

const window = { from: '2026-10-28T09:00:00.000Z', to: '2026-10-28T10:00:00.000Z' };
const base = { personId: 'person-ben', actorId: 'person-ben', at: '2026-10-20T08:00:00.000Z', bookingId: 'b1', sessionId: 's1', ...window };

describe('onboarding integration events (relay mapping)', () => {
  it('publishes a reserved slot as the presenter being unavailable, and a freed one as withdrawn, keyed by session and person', () => {
    const [reserved] = mapToKafkaMessages(onboardingIntegrationEvents, recorded(presenterStreamName('person-ben'), { type: 'PresenterSlotReserved', data: base }, 3, '00000000-0000-4000-8000-000000000003'), {
      kind: 'presenter',
      state: { personId: 'person-ben', slots: [] },
    });
    expect(reserved).toMatchObject({ topic: PresenterUnavailabilityChanged.topic, key: 's1:person-ben' });
    expect(JSON.parse(reserved?.value ?? '{}')).toMatchObject({ kind: 'unavailable', ...window, version: 3 });
    const [freed] = mapToKafkaMessages(onboardingIntegrationEvents, recorded(presenterStreamName('person-ben'), { type: 'PresenterSlotFreed', data: base }, 4, '00000000-0000-4000-8000-000000000004'), {
      kind: 'presenter',
      state: { personId: 'person-ben', slots: [] },
    });
    expect(JSON.parse(freed?.value ?? '{}')).toMatchObject({ kind: 'withdrawn', ...window, version: 4 });
  });

  it('names the presenter a change took the session from, so their calendar gets a CANCEL', () => {
    const after: ExistingSession = {
      status: 'scheduled',
      sessionId: 's1',
      planId: 'person-nina',
      stepKey: 'how-cases',
      unitId: 'unit-support',
      organiserId: 'person-cleo',
      attendeeIds: ['person-nina'],
      presenterId: null,
      bookingId: null,
      sequence: 3,
      changedAt: base.at,
      title: 'How cases are distributed',
      ...window,
      location: 'Room Vänern',
      link: null,
      capacity: null,
      presenterSlot: { role: { taskType: 'case-distribution', unitId: 'unit-support' } },
    };
    const unassigned: SessionEvent = { type: 'SessionPresenterUnassigned', data: { sessionId: 's1', actorId: 'system:onboarding', at: base.at, sequence: 3, presenterId: 'person-ben', bookingId: 'b1' } };
    const [message] = mapToKafkaMessages(onboardingIntegrationEvents, recorded(sessionStreamName('s1'), unassigned, 5, '00000000-0000-4000-8000-000000000005'), { kind: 'session', state: after });
    expect(message).toMatchObject({ topic: SessionChanged.topic, key: 's1' });
    expect(JSON.parse(message?.value ?? '{}')).toMatchObject({ change: 'presenter-unassigned', presenterId: null, formerPresenterId: 'person-ben', sequence: 3 });
  });

  it('publishes fired reminders under their reminder id (a repeat is recognisable), in the contracts\' shape', () => {
    const task: ReminderEvent = {
      type: 'TaskReminderFired',
      data: {
        reminderId: '3d8f0c1a-2b4e-8c6d-9f0a-1b2c3d4e5f60',
        kind: 'task-overdue-escalated',
        newcomerId: 'person-nina',
        unitId: 'unit-support',
        stepKey: 'sign-policies',
        dueAt: '2026-10-28T23:00:00.000Z',
        daysBefore: null,
        recipient: { role: 'formal-manager', unitId: 'unit-support' },
        fireAt: '2026-10-31T08:00:00.000Z',
        actorId: 'system:onboarding-reminders',
        at: '2026-10-31T08:00:01.000Z',
      },
    };
    const [message] = mapToKafkaMessages(onboardingIntegrationEvents, recorded(reminderStreamName(task.data.reminderId), task, 0, task.data.reminderId));
    expect(message).toMatchObject({ topic: TaskReminderDue.topic, key: 'person-nina' });
    expect(message?.headers['ce_id']).toBe(task.data.reminderId);
    expect(JSON.parse(message?.value ?? '{}')).toMatchObject({ recipientId: null, recipientRole: 'formal-manager', daysBefore: null });
    const session: ReminderEvent = {
      type: 'SessionReminderFired',
      data: {
        reminderId: '9a8b7c6d-5e4f-8a2b-9c0d-1e2f3a4b5c6d',
        kind: 'session-tomorrow',
        sessionId: 's1',
        newcomerIds: ['person-nina'],
        newcomerId: 'person-nina',
        unitId: 'unit-support',
        presenterId: null,
        startsAt: window.from,
        title: 'How cases are distributed',
        place: null,
        fireAt: '2026-10-27T08:00:00.000Z',
        actorId: 'system:onboarding-reminders',
        at: '2026-10-27T08:00:00.000Z',
      },
    };
    const [reminder] = mapToKafkaMessages(onboardingIntegrationEvents, recorded(reminderStreamName(session.data.reminderId), session, 0, session.data.reminderId));
    expect(reminder).toMatchObject({ topic: SessionReminderDue.topic, key: 's1' });
    expect(JSON.parse(reminder?.value ?? '{}')).toMatchObject({ topic: 'How cases are distributed', presenterId: null, place: null });
  });
});
