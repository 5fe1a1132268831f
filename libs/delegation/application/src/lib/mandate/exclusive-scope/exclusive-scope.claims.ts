import { createHash, randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '@leadership/event-store';
import { LIVE_MANDATE_STATUSES, refuseExclusiveOverlap, scopeKey, type MandatePeriod, type MandateScope, type TaskTypeDefinition } from '@leadership/delegation-domain';
import type { DelegationFacts } from '../../facts/delegation.facts';
import { metadataFor, type CommandContext } from '@leadership/kernel';

/** Category of the streams that serialise claims on an exclusive task in one scope. */
export const SCOPE_CLAIM_CATEGORY = 'scopeclaim';

/** Claimed by a mandate of an exclusive task type for its period (the latest claim per mandate counts). */
export interface ExclusiveScopeClaimed {
  readonly mandateId: string;
  readonly taskType: string;
  readonly scope: MandateScope;
  readonly period: MandatePeriod;
  readonly at: string;
}

/*
 * Exclusivity ("one case manager per queue") must hold under concurrency, which a read model
 * cannot guarantee. Every proposal or extension of an exclusive mandate appends a claim to the
 * scope's claim stream with the revision it read: two concurrent proposers cannot both succeed;
 * the loser re-reads, sees the other claim and is refused naming the other mandate.
 *
 * Claims are never deleted; a claim counts while its mandate is live (proposed, accepted,
 * active, suspended). A claim whose mandate stream does not exist yet is either in flight (the
 * proposer appends the mandate right after its claim) or left by a crash between the two
 * appends: it counts for PENDING_CLAIM_GRACE_MS, then it is ignored.
 */
export const PENDING_CLAIM_GRACE_MS = 60_000;

export function scopeClaimStreamName(taskType: string, scope: MandateScope): string {
  const digest = createHash('sha256').update(`${taskType}|${scopeKey(scope)}`).digest('hex').slice(0, 32);
  return `${SCOPE_CLAIM_CATEGORY}-${digest}`;
}

const overlaps = (a: MandatePeriod, b: MandatePeriod) => Date.parse(a.from) < Date.parse(b.until) && Date.parse(b.from) < Date.parse(a.until);

export class ExclusiveScopeClaims {
  constructor(
    private readonly store: EventStore,
    private readonly facts: DelegationFacts,
    private readonly now: () => Date,
  ) {}

  /** The live mandate (other than `mandateId`) whose claim overlaps `period`, if any. */
  async findOverlap(events: readonly RecordedEvent[], mandateId: string, period: MandatePeriod): Promise<string | undefined> {
    const latest = new Map<string, { claim: ExclusiveScopeClaimed; recordedAt: string }>();
    for (const e of events) {
      const claim = e.data as ExclusiveScopeClaimed;
      latest.set(claim.mandateId, { claim, recordedAt: e.recordedAt });
    }
    for (const [otherId, { claim, recordedAt }] of latest) {
      if (otherId === mandateId || !overlaps(claim.period, period)) continue;
      const other = await this.facts.mandate(otherId);
      if (other.value.status === 'none') {
        if (this.now().getTime() - Date.parse(recordedAt) < PENDING_CLAIM_GRACE_MS) return otherId;
        continue;
      }
      if (LIVE_MANDATE_STATUSES.includes(other.value.status)) return otherId;
    }
    return undefined;
  }

  /**
   * For a mandate of an exclusive task type whose command the decider accepted: claims the scope
   * for its period, or refuses with the domain's `refuseExclusiveOverlap` guard (ExclusiveOverlapError
   * naming the other mandate) when a live mandate overlaps. Nothing to claim for a shared type.
   */
  async claimOrRefuse(taskType: TaskTypeDefinition, claim: Omit<ExclusiveScopeClaimed, 'taskType'>, context: CommandContext): Promise<void> {
    if (!taskType.exclusive) return;
    const overlap = await this.claim({ ...claim, taskType: taskType.key }, context);
    refuseExclusiveOverlap(taskType, claim, overlap);
  }

  /**
   * Claims the scope for the mandate's period unless a live mandate overlaps; returns the
   * overlapping mandate id instead of claiming. Retries when another claim lands concurrently.
   */
  async claim(claim: ExclusiveScopeClaimed, context: CommandContext): Promise<string | undefined> {
    const stream = scopeClaimStreamName(claim.taskType, claim.scope);
    for (let attempt = 0; attempt < 5; attempt++) {
      const events = await this.store.readStream(stream);
      const overlap = await this.findOverlap(events, claim.mandateId, claim.period);
      if (overlap) return overlap;
      const expected = events.length === 0 ? 'no_stream' : events.length - 1;
      try {
        await this.store.appendToStream(
          stream,
          [{ type: 'ExclusiveScopeClaimed', data: claim, metadata: { ...metadataFor({ ...context, idempotencyKey: undefined }, stream)({ type: 'ExclusiveScopeClaimed' }, 0), eventId: randomUUID() } }],
          expected,
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new WrongExpectedRevisionError(stream, 'any', 'no_stream');
  }
}
