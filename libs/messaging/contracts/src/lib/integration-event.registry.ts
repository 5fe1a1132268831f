import { ContractDefinitionError, type AnyIntegrationEventContract } from './define-integration-event';

/** The contracts one producer or consumer works with, looked up by CloudEvents type. */
export class IntegrationEventRegistry<C extends AnyIntegrationEventContract = AnyIntegrationEventContract> {
  readonly contracts: readonly C[];
  /** The distinct topics of the contracts, sorted. */
  readonly topics: readonly string[];
  private readonly byType: ReadonlyMap<string, C>;

  constructor(contracts: readonly C[]) {
    const byType = new Map<string, C>();
    for (const contract of contracts) {
      if (byType.has(contract.type)) throw new ContractDefinitionError(`integration event ${contract.type} is registered twice`);
      byType.set(contract.type, contract);
    }
    this.byType = byType;
    this.contracts = [...contracts];
    this.topics = [...new Set(contracts.map((c) => c.topic))].sort();
  }

  get(type: string): C | undefined {
    return this.byType.get(type);
  }
}
