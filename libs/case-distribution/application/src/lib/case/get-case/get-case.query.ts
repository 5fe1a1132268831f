import { readAggregate, type ReadOnlyEventStore } from '@leadership/event-store';
import { caseDecider, caseStreamName, CaseNotFoundError, type ExistingCase } from '@leadership/case-distribution-domain';

/** A case as its stream says (always current), with its version for the ETag. */
export interface CaseWithVersion {
  readonly case: ExistingCase;
  readonly version: number;
}

/** Reads one case from its stream through the one reader (`readAggregate`). */
export class GetCaseQuery {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async execute(caseId: string): Promise<CaseWithVersion> {
    const { state, revision } = await readAggregate(this.store, caseDecider, caseStreamName(caseId));
    if (state.status === 'none') throw new CaseNotFoundError(caseId);
    return { case: state, version: revision };
  }
}
