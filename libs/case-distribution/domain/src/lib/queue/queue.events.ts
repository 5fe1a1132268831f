import type { DecisionStamp, Skill } from '../shared/case-vocabulary';
import type { QueueConfig } from './queue';

/* Events of the queue stream (`queue-<queueId>`); each carries its stamp of authority. */

interface QueueEventData {
  readonly queueId: string;
  readonly actorId: string;
  readonly at: string;
  readonly stamp: DecisionStamp;
}

export interface QueueDefined {
  readonly type: 'QueueDefined';
  readonly data: QueueEventData & { readonly config: QueueConfig };
}

/** The whole new configuration (state transfer: a reader needs no earlier event to know it). */
export interface QueueChanged {
  readonly type: 'QueueChanged';
  readonly data: QueueEventData & { readonly config: QueueConfig };
}

export interface QueueAgentSet {
  readonly type: 'QueueAgentSet';
  readonly data: QueueEventData & { readonly personId: string; readonly capacity: number; readonly skills: readonly Skill[] };
}

export interface QueueAgentRemoved {
  readonly type: 'QueueAgentRemoved';
  readonly data: QueueEventData & { readonly personId: string };
}

/** The one event union of the queue aggregate. */
export type QueueEvent = QueueDefined | QueueChanged | QueueAgentSet | QueueAgentRemoved;
