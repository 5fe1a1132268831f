import type { DecisionStamp, Skill } from '../shared/case-vocabulary';
import type { QueueConfig } from './queue';

/*
 * Commands of the queue decider (stream `queue-<queueId>`). Configuring a queue and its agents
 * is a leadership decision: each command carries the stamp of the authority it relied on.
 */

interface QueueCommandData {
  readonly queueId: string;
  readonly at: string;
  readonly stamp: DecisionStamp;
}

/** Creates the queue (a retry with the same configuration is a no-op). */
export interface DefineQueue {
  readonly type: 'DefineQueue';
  readonly data: QueueCommandData & { readonly config: QueueConfig };
}

/** Replaces the configuration of an existing queue. */
export interface ChangeQueue {
  readonly type: 'ChangeQueue';
  readonly data: QueueCommandData & { readonly config: QueueConfig };
}

/** Adds an agent to the queue or changes their capacity and skills. */
export interface SetQueueAgent {
  readonly type: 'SetQueueAgent';
  readonly data: QueueCommandData & { readonly personId: string; readonly capacity: number; readonly skills: readonly Skill[] };
}

/** Takes an agent out of the queue (their cases stay with them). */
export interface RemoveQueueAgent {
  readonly type: 'RemoveQueueAgent';
  readonly data: QueueCommandData & { readonly personId: string };
}

export type QueueCommand = DefineQueue | ChangeQueue | SetQueueAgent | RemoveQueueAgent;
