import type { Priority, Skill } from '../shared/case-vocabulary';
import type { RoutingMode } from '../routing/routing-explanation';

/** How the queue's router works. */
export interface QueueRouting {
  readonly mode: RoutingMode;
  /** How long an agent has to answer an offer before it expires and the case goes back. */
  readonly pushTimeoutSeconds: number;
  /** After this wait a case's preferred skills stop counting (required ones never do). */
  readonly skillRelaxationSeconds: number;
}

/** Targets for one priority, counted from the case's arrival. */
export interface SlaTargets {
  readonly firstResponseMinutes: number;
  readonly resolutionMinutes: number;
}

/** A queue's configuration, as `PUT /queues/{queueId}` sets it. */
export interface QueueConfig {
  readonly unitId: string;
  readonly name: string;
  readonly routing: QueueRouting;
  readonly sla: Readonly<Record<Priority, SlaTargets>>;
  /** Load units one case of a channel takes (e.g. chat 1, e-mail 2); each ≥ 1. */
  readonly channelWeights: Readonly<Record<string, number>>;
  readonly overflowQueueId: string | null;
}

/** An agent of the queue: capacity in weight units and their skills. */
export interface QueueAgent {
  readonly personId: string;
  readonly capacity: number;
  readonly skills: readonly Skill[];
}

/**
 * A channel the queue has no weight for counts as one unit: the lightest work, rather than work
 * no one can ever take.
 */
export const DEFAULT_CHANNEL_WEIGHT = 1;

export const channelWeight = (config: Pick<QueueConfig, 'channelWeights'>, channel: string): number =>
  config.channelWeights[channel] ?? DEFAULT_CHANNEL_WEIGHT;
