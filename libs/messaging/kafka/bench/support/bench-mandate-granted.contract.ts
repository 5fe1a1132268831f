import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineIntegrationEvent, type IntegrationEventData } from '@leadership/messaging-contracts';

/** The Kafka benchmarks' contract: shaped like the delegation context's, on a topic of the run's own. */
export function benchMandateGranted(topic: string) {
  return defineIntegrationEvent({
    type: 'leadership.bench.mandate-granted.v1',
    topic,
    version: 1,
    description: 'A mandate came into force (benchmark contract).',
    schema: z.strictObject({
      mandateId: z.uuid(),
      delegatorId: z.uuid(),
      delegateId: z.uuid(),
      taskType: z.string(),
      authorities: z.array(z.string()),
      validFrom: z.iso.datetime(),
      validUntil: z.iso.datetime(),
    }),
    keyOf: (d) => d.mandateId,
  });
}

export type BenchMandateGrantedData = IntegrationEventData<ReturnType<typeof benchMandateGranted>>;

/** Data of one event (≈ 300 bytes as JSON), new ids each time. */
export function benchMandateGrantedData(): BenchMandateGrantedData {
  return {
    mandateId: randomUUID(),
    delegatorId: randomUUID(),
    delegateId: randomUUID(),
    taskType: 'case-distribution',
    authorities: ['assign-cases', 'prioritise-cases'],
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2026-06-30T00:00:00.000Z',
  };
}
