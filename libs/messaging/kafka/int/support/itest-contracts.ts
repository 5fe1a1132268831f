import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { NewEvent } from '@leadership/event-store';
import { defineIntegrationEvent, topicName } from '@leadership/messaging-contracts';
import { integrationEvent, mapDomainEvents } from '@leadership/messaging-kafka';
import { uniqueName } from '@leadership/testing';

/*
 * Contracts for the integration tests: the shape of a real one, on a topic of the test's own
 * (`leadership.itest.<unique>.v1`) so suites and re-runs never see each other's messages.
 */
export function itestContracts(prefix: string, topic = topicName('itest', uniqueName(prefix), 1)) {
  const taskAssigned = defineIntegrationEvent({
    type: 'leadership.itest.task-assigned.v1',
    topic,
    version: 1,
    description: 'A task was assigned (integration-test contract).',
    keyDescription: 'task id',
    schema: z.strictObject({ taskId: z.string().min(1), assignee: z.string().min(1), seq: z.number().int() }),
    keyOf: (data) => data.taskId,
  });
  type TaskDomainEvent = { readonly type: 'TaskAssigned'; readonly data: { readonly taskId: string; readonly assignee: string; readonly seq: number } };
  const mapper = mapDomainEvents<TaskDomainEvent>('task', {
    TaskAssigned: (e) => integrationEvent(taskAssigned, { taskId: e.data.taskId, assignee: e.data.assignee, seq: e.data.seq }),
  });
  return { topic, taskAssigned, mapper };
}

/** A domain event the mapper above publishes. */
export function taskAssignedEvent(seq: number, taskId = `t${seq % 7}`): NewEvent {
  return { type: 'TaskAssigned', data: { taskId, assignee: `p${seq % 3}`, seq }, metadata: { eventId: randomUUID(), correlationId: `c-${seq}` } };
}
