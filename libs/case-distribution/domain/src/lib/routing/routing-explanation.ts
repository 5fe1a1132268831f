/*
 * Why the router chose an agent: every automatic offer stores this with the case, so
 * `GET /cases/{id}/routing` can show the candidates considered, their scores and the rule.
 */

/** How a queue picks among eligible agents. */
export type RoutingMode = 'most-available' | 'least-active' | 'round-robin';

export const ROUTING_MODES: readonly RoutingMode[] = ['most-available', 'least-active', 'round-robin'];

/** Why an agent of the queue could not take the case (the first reason found, in this order). */
export type ExclusionReason =
  | 'not-available'
  | 'absent'
  | 'unavailable'
  | 'missing-required-skill'
  | 'missing-preferred-skill'
  | 'declined'
  | 'no-spare-capacity';

/** One agent of the queue as the router saw them for one case. */
export interface RoutingCandidate {
  readonly agentId: string;
  readonly eligible: boolean;
  readonly excludedBecause?: ExclusionReason;
  /** Effective capacity (after ramp-up) minus load, in weight units, when the case was routed. */
  readonly spareCapacity: number;
  /** The mode's score; higher wins (see the explanation's `rule`). */
  readonly score: number;
}

/** The record of one routing decision. */
export interface RoutingExplanation {
  readonly mode: RoutingMode;
  /** The rule that picked the agent, in words. */
  readonly rule: string;
  readonly candidates: readonly RoutingCandidate[];
}
