import type { RecordedEvent } from '@leadership/event-store';
import { mandateGranted, mandateRevoked, type SampleDomainEvent } from '../../test/sample-contracts';
import {
  combineMappers,
  integrationEvent,
  integrationEventId,
  IntegrationEventMappingError,
  mapDomainEvents,
  mapToKafkaMessages,
} from './integration-event.mapper';

function recorded(type: string, data: unknown, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    streamName: 'mandate-m1',
    type,
    data,
    metadata: { eventId: '0d9f1c52-7a5e-4c1b-9a43-1f7f3d2e6b10', correlationId: 'c-1', causationId: 'cmd-1', actor: 'p-1' },
    revision: 0,
    position: 7n,
    recordedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

const mapper = mapDomainEvents<SampleDomainEvent>('mandate', {
  MandateAccepted: (e) => integrationEvent(mandateGranted, { mandateId: e.data.mandateId, delegateId: e.data.delegateId, authorities: [...e.data.authorities] }),
  MandateRevoked: (e) => [
    integrationEvent(mandateRevoked, { mandateId: e.data.mandateId, ...(e.data.reason ? { reason: e.data.reason } : {}) }),
  ],
});

describe('mapping domain events to integration events', () => {
  it('maps each domain event type by its own function', () => {
    const out = mapper(recorded('MandateAccepted', { mandateId: 'm1', delegateId: 'p2', authorities: ['a'] }));
    expect(out).toEqual([{ contract: mandateGranted, data: { mandateId: 'm1', delegateId: 'p2', authorities: ['a'] } }]);
  });

  it('publishes nothing for unmapped types, other aggregates, or inherited property names', () => {
    expect(mapper(recorded('MandateNoteAdded', { mandateId: 'm1', note: 'private' }))).toEqual([]);
    expect(mapper(recorded('MandateRevoked', { mandateId: 'm1' }, { streamName: 'casequeue-q1' }))).toEqual([]);
    expect(mapper(recorded('constructor', {}))).toEqual([]);
  });

  it('combines mappers, keeping their order', () => {
    const both = combineMappers(mapper, (e) => (e.type === 'MandateRevoked' ? [integrationEvent(mandateRevoked, { mandateId: 'copy' })] : []));
    const out = both(recorded('MandateRevoked', { mandateId: 'm1' }));
    expect(out.map((m) => m.data)).toEqual([{ mandateId: 'm1' }, { mandateId: 'copy' }]);
  });

  it('gives the first integration event the domain event id and derives further ids deterministically', () => {
    const domainId = '0d9f1c52-7a5e-4c1b-9a43-1f7f3d2e6b10';
    expect(integrationEventId(domainId, 0, mandateGranted.type)).toBe(domainId);
    const second = integrationEventId(domainId, 1, mandateGranted.type);
    expect(second).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(integrationEventId(domainId, 1, mandateGranted.type)).toBe(second);
    expect(integrationEventId(domainId, 2, mandateGranted.type)).not.toBe(second);
    expect(integrationEventId(domainId, 1, mandateRevoked.type)).not.toBe(second);
  });

  it('encodes the mapped events as records carrying the metadata as headers and recordedAt as time', () => {
    const twice = combineMappers(mapper, mapper);
    const [first, second] = mapToKafkaMessages(twice, recorded('MandateRevoked', { mandateId: 'm1', reason: 'moved' }));
    expect(first).toMatchObject({
      key: 'm1',
      headers: {
        ce_id: '0d9f1c52-7a5e-4c1b-9a43-1f7f3d2e6b10',
        ce_time: '2025-03-01T10:00:00.000Z',
        ce_correlationid: 'c-1',
        ce_causationid: 'cmd-1',
        ce_actor: 'p-1',
      },
    });
    expect(first?.headers).not.toHaveProperty('traceparent');
    expect(second?.headers['ce_id']).toBe(integrationEventId('0d9f1c52-7a5e-4c1b-9a43-1f7f3d2e6b10', 1, mandateRevoked.type));
  });

  it('reports a mapper that produces invalid data as a mapping error naming the event', () => {
    const broken = mapDomainEvents<SampleDomainEvent>('mandate', {
      MandateAccepted: (e) => integrationEvent(mandateGranted, { mandateId: e.data.mandateId } as never),
    });
    const event = recorded('MandateAccepted', { mandateId: 'm1', delegateId: 'p2', authorities: [] });
    expect(() => mapToKafkaMessages(broken, event)).toThrow(IntegrationEventMappingError);
    expect(() => mapToKafkaMessages(broken, event)).toThrow(/MandateAccepted at mandate-m1@0 \(position 7\).*delegateId/);
  });

  it('reports a mapper that throws as a mapping error', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(() => mapToKafkaMessages(throwing, recorded('MandateAccepted', {}))).toThrow(/failed: boom/);
  });
});
