import { DeciderSpecification } from '@leadership/kernel/testing';
import { ANA, BEN, queueConfig, T0 } from '../../spec/case-distribution.fixtures';
import type { QueueConfig } from './queue';
import type { QueueCommand } from './queue.commands';
import { queueDecider } from './queue.decider';
import {
  AgentCapacityInvalidError,
  AgentSkillInvalidError,
  ChannelWeightInvalidError,
  OverflowToItselfError,
  QueueAlreadyExistsError,
  QueueNameRequiredError,
  QueueNotFoundError,
  QueueRoutingInvalidError,
  QueueSlaInvalidError,
  QueueStampInvalidError,
  QueueUnitFixedError,
} from './queue.errors';
import type { QueueEvent } from './queue.events';

const given = DeciderSpecification.for(queueDecider);
const base = { queueId: 'general', at: T0, stamp: ANA };
const define = (config: QueueConfig = queueConfig, stamp = ANA): QueueCommand => ({ type: 'DefineQueue', data: { ...base, stamp, config } });
const change = (config: QueueConfig): QueueCommand => ({ type: 'ChangeQueue', data: { ...base, stamp: BEN, config } });
const setAgent = (capacity = 6, skills = [{ name: 'motor', level: 3 }]): QueueCommand => ({ type: 'SetQueueAgent', data: { ...base, personId: 'cleo', capacity, skills } });
const removeAgent = (personId = 'cleo'): QueueCommand => ({ type: 'RemoveQueueAgent', data: { ...base, personId } });
const defined: QueueEvent = { type: 'QueueDefined', data: { ...base, actorId: 'person-ana', config: queueConfig } };
const agentSet: QueueEvent = { type: 'QueueAgentSet', data: { ...base, actorId: 'person-ana', personId: 'cleo', capacity: 6, skills: [{ name: 'motor', level: 3 }] } };

describe('queue decider', () => {
  describe('DefineQueue', () => {
    it('defines a queue with its configuration and stamp', () => {
      given([]).when(define()).then([defined]);
    });

    it('changes nothing when retried with the same configuration, in any key order', () => {
      const reordered = { ...queueConfig, channelWeights: { chat: 1, email: 2 } };
      given([defined]).when(define(reordered)).thenNothingHappens();
    });

    it('refuses another configuration under the same id, and every invalid part by its rule', () => {
      given([defined]).when(define({ ...queueConfig, name: 'Other' })).thenThrows(QueueAlreadyExistsError, 'queue.already-exists');
      given([]).when(define({ ...queueConfig, name: ' ' })).thenThrows(QueueNameRequiredError, 'queue.name-required');
      given([]).when(define({ ...queueConfig, routing: { ...queueConfig.routing, pushTimeoutSeconds: 0 } })).thenThrows(QueueRoutingInvalidError, 'queue.routing-invalid');
      given([]).when(define({ ...queueConfig, routing: { ...queueConfig.routing, mode: 'random' as 'round-robin' } })).thenThrows(QueueRoutingInvalidError);
      given([]).when(define({ ...queueConfig, sla: { ...queueConfig.sla, P2: { firstResponseMinutes: 90, resolutionMinutes: 60 } } })).thenThrows(QueueSlaInvalidError, 'queue.sla-invalid', (e) => e.priority === 'P2');
      given([]).when(define({ ...queueConfig, channelWeights: { email: 0 } })).thenThrows(ChannelWeightInvalidError, 'queue.channel-weight-invalid');
      given([]).when(define({ ...queueConfig, overflowQueueId: 'general' })).thenThrows(OverflowToItselfError, 'queue.overflow-to-itself');
      given([]).when(define(queueConfig, { ...BEN, mandateId: null })).thenThrows(QueueStampInvalidError, 'queue.stamp-invalid');
    });
  });

  describe('ChangeQueue', () => {
    it('replaces the configuration', () => {
      const config = { ...queueConfig, routing: { ...queueConfig.routing, mode: 'round-robin' as const } };
      given([defined]).when(change(config)).then([{ type: 'QueueChanged', data: { ...base, stamp: BEN, actorId: 'person-ben', config } }]);
    });

    it('changes nothing for the same configuration, and refuses an unknown queue', () => {
      given([defined]).when(change(queueConfig)).thenNothingHappens();
      given([]).when(change(queueConfig)).thenThrows(QueueNotFoundError, 'queue.not-found');
    });

    it('refuses to move the queue to another unit (authority and the open cases stay with the unit it was defined in)', () => {
      given([defined])
        .when(change({ ...queueConfig, unitId: 'unit-finance' }))
        .thenThrows(QueueUnitFixedError, 'queue.unit-fixed', (e) => e.unitId === 'unit-claims' && e.requestedUnitId === 'unit-finance');
      given([defined]).when(change({ ...queueConfig, unitId: ' unit-claims ' })).thenNothingHappens();
    });
  });

  describe('SetQueueAgent and RemoveQueueAgent', () => {
    it('set and remove an agent', () => {
      given([defined]).when(setAgent()).then([agentSet]);
      given([defined, agentSet]).when(removeAgent()).then([{ type: 'QueueAgentRemoved', data: { ...base, actorId: 'person-ana', personId: 'cleo' } }]);
    });

    it('change nothing for the same agent or one not in the queue', () => {
      given([defined, agentSet]).when(setAgent()).thenNothingHappens();
      given([defined]).when(removeAgent('nobody')).thenNothingHappens();
    });

    it('refuse a negative or fractional capacity and invalid skills', () => {
      given([defined]).when(setAgent(-1)).thenThrows(AgentCapacityInvalidError, 'queue.agent-capacity-invalid');
      given([defined]).when(setAgent(1.5)).thenThrows(AgentCapacityInvalidError);
      given([defined]).when(setAgent(6, [{ name: 'motor', level: 0 }])).thenThrows(AgentSkillInvalidError, 'queue.agent-skill-invalid');
    });
  });
});
