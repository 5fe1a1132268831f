import type { Presence } from '../agent/agent.commands';
import type { Priority, Skill } from '../shared/case-vocabulary';
import type { Period } from '../shared/instant';
import type { OverflowTarget } from '../case/case.commands';
import type { QueueConfig } from '../queue/queue';
import type { RoutingExplanation } from './routing-explanation';

/*
 * What the router sees: one queue, its waiting cases and its agents, gathered by the application
 * from the case, queue and agent aggregates (or their read models) at one instant.
 */

/** The queue's routing configuration. */
export interface RoutingQueue extends Pick<QueueConfig, 'routing' | 'channelWeights' | 'overflowQueueId'> {
  readonly queueId: string;
}

/** A case waiting in the queue (status `queued`). */
export interface WaitingCase {
  readonly caseId: string;
  readonly queueId: string;
  readonly priority: Priority;
  /** Original arrival: declined, expired and overflowed cases keep their age. */
  readonly receivedAt: string;
  readonly channel: string;
  readonly requiredSkills: readonly Skill[];
  readonly preferredSkills: readonly Skill[];
  /** Agents who declined it; it is not offered to them again. */
  readonly declinedBy: readonly string[];
  /** Queues it has been in (overflow never sends it back to one); default: its own. */
  readonly visitedQueueIds?: readonly string[];
  /** With the formal manager already: not overflowed there again (still routed when someone can take it). */
  readonly escalatedToFormalManager?: boolean;
}

/** An agent of the queue. */
export interface RoutingAgent {
  readonly personId: string;
  readonly presence: Presence;
  readonly absences: readonly Period[];
  /** Windows of work elsewhere (e.g. an onboarding session they present). */
  readonly unavailability: readonly Period[];
  /** Capacity in weight units in this queue (before ramp-up). */
  readonly capacity: number;
  readonly skills: readonly Skill[];
  /** Weight units of the cases assigned or offered to them now, in every queue. */
  readonly load: number;
  /** Cases assigned or offered to them now. */
  readonly activeCases: number;
  readonly lastAssignedAt: string | null;
  /** End of their latest absence of a working day or more (`agentAvailabilityAt`); null when not returning. */
  readonly returnedFromAbsenceAt: string | null;
}

export interface RoutingSnapshot {
  readonly queue: RoutingQueue;
  readonly cases: readonly WaitingCase[];
  readonly agents: readonly RoutingAgent[];
}

/** Offer the case to the agent until `expiresAt` (the input of OfferCase). */
export interface RoutingOffer {
  readonly caseId: string;
  readonly agentId: string;
  readonly expiresAt: string;
  readonly explanation: RoutingExplanation;
}

/** Nobody in the queue can take the case: send it on (the input of OverflowCase). */
export interface RoutingOverflow {
  readonly caseId: string;
  readonly to: OverflowTarget;
  readonly why: string;
}

/** The result of one routing run. Cases in neither list wait for capacity. */
export interface RoutingPlan {
  readonly offers: readonly RoutingOffer[];
  readonly overflows: readonly RoutingOverflow[];
}
