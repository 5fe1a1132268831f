import { createHash } from 'node:crypto';
import { computeEventHash, computeEventHashV2, expectedEventHash, readIntegrity, sealEvent, type HashedEventContentV1, type HashedEventContentV2 } from './event-hash';

const content: HashedEventContentV1 = {
  previousHash: null,
  eventId: '0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b10',
  streamName: 'delegation-m-1',
  type: 'MandateAccepted',
  data: { mandateId: 'm-1', actorId: 'p-1', at: '2025-01-11T09:00:00Z' },
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('computeEventHash (scheme 1, kept for events written with it)', () => {
  it('is SHA-256 over the canonical JSON of previousHash, eventId, streamName, type and data', () => {
    const canonical =
      '{"data":{"actorId":"p-1","at":"2025-01-11T09:00:00Z","mandateId":"m-1"},"eventId":"0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b10",' +
      '"previousHash":null,"streamName":"delegation-m-1","type":"MandateAccepted"}';
    expect(computeEventHash(content)).toBe(sha256(canonical));
    expect(computeEventHash(content)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the key order of data', () => {
    const reordered = { ...content, data: { at: '2025-01-11T09:00:00Z', mandateId: 'm-1', actorId: 'p-1' } };
    expect(computeEventHash(reordered)).toBe(computeEventHash(content));
  });

  it.each([
    ['previousHash', { previousHash: 'a'.repeat(64) }],
    ['eventId', { eventId: '0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b11' }],
    ['streamName', { streamName: 'delegation-m-2' }],
    ['type', { type: 'MandateDeclined' }],
    ['data', { data: { mandateId: 'm-1', actorId: 'p-1', at: '2025-01-11T09:00:01Z' } }],
  ])('changes when %s changes', (_field, change) => {
    expect(computeEventHash({ ...content, ...change })).not.toBe(computeEventHash(content));
  });

  it('ignores properties beyond the hashed content', () => {
    const extended = { ...content, revision: 7, recordedAt: '2030-01-01T00:00:00Z' } as HashedEventContentV1;
    expect(computeEventHash(extended)).toBe(computeEventHash(content));
  });
});

const v2: HashedEventContentV2 = {
  previousHash: 'c'.repeat(64),
  streamName: 'delegation-m-1',
  revision: 3,
  type: 'MandateAccepted',
  data: { mandateId: 'm-1', at: '2025-01-11T09:00:00Z' },
  metadata: {
    eventId: '0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b10',
    actor: 'p-1',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  recordedAt: '2025-01-11T09:00:00.123Z',
};

describe('computeEventHashV2 (scheme 2, written today)', () => {
  it('is SHA-256 over the canonical JSON of scheme, previousHash, stream, revision, type, data, metadata and recorded time', () => {
    const canonical =
      `{"data":{"at":"2025-01-11T09:00:00Z","mandateId":"m-1"},"metadata":{"actor":"p-1","causationId":"cause-1","correlationId":"corr-1",` +
      `"eventId":"0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b10","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},` +
      `"previousHash":"${'c'.repeat(64)}","recordedAt":"2025-01-11T09:00:00.123Z","revision":3,"scheme":2,"streamName":"delegation-m-1","type":"MandateAccepted"}`;
    expect(computeEventHashV2(v2)).toBe(sha256(canonical));
  });

  it.each([
    ['previousHash', { previousHash: 'd'.repeat(64) }],
    ['streamName', { streamName: 'delegation-m-2' }],
    ['revision', { revision: 4 }],
    ['type', { type: 'MandateDeclined' }],
    ['data', { data: { mandateId: 'm-1', at: '2025-01-11T09:00:01Z' } }],
    ['eventId', { metadata: { ...v2.metadata, eventId: '0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b11' } }],
    ['actor', { metadata: { ...v2.metadata, actor: 'p-2' } }],
    ['correlationId', { metadata: { ...v2.metadata, correlationId: 'corr-2' } }],
    ['causationId', { metadata: { ...v2.metadata, causationId: 'cause-2' } }],
    ['traceparent', { metadata: { ...v2.metadata, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203332-01' } }],
    ['a metadata field beyond the known ones', { metadata: { ...v2.metadata, tenant: 't-1' } }],
    ['an absent actor', { metadata: { eventId: v2.metadata['eventId'] as string } }],
    ['recordedAt', { recordedAt: '2025-01-11T09:00:00.124Z' }],
  ])('changes when %s changes', (_field, change) => {
    expect(computeEventHashV2({ ...v2, ...change })).not.toBe(computeEventHashV2(v2));
  });

  it('does not cover the integrity entry it is stored in', () => {
    const stored = { ...v2, metadata: { ...v2.metadata, integrity: { hash: 'e'.repeat(64) } } };
    expect(computeEventHashV2(stored)).toBe(computeEventHashV2(v2));
  });

  it('never equals the scheme-1 hash of the same event', () => {
    const eventId = v2.metadata['eventId'] as string;
    expect(computeEventHashV2(v2)).not.toBe(computeEventHash({ previousHash: v2.previousHash, eventId, streamName: v2.streamName, type: v2.type, data: v2.data }));
  });
});

describe('expectedEventHash: each stored event under the scheme it names', () => {
  const event = { streamName: v2.streamName, revision: v2.revision, type: v2.type, data: v2.data, metadata: v2.metadata as { eventId: string } };

  it('verifies an event sealed with scheme 2', () => {
    const integrity = sealEvent(event.streamName, event.revision, event, v2.previousHash, v2.recordedAt);
    expect(integrity).toMatchObject({ scheme: 2, algorithm: 'sha256', recordedAt: v2.recordedAt });
    expect(expectedEventHash({ ...event, metadata: { ...event.metadata, integrity } }, integrity)).toBe(integrity.hash);
  });

  it('still verifies an event written with scheme 1 (integrity without `scheme`), by the old content', () => {
    const hash = computeEventHash({ previousHash: null, eventId: event.metadata.eventId, streamName: event.streamName, type: event.type, data: event.data });
    const integrity = { algorithm: 'sha256' as const, previousHash: null, hash };
    // Actor and the rest of the metadata were never covered by scheme 1: changing them keeps the hash.
    expect(expectedEventHash({ ...event, metadata: { ...event.metadata, actor: 'someone-else', integrity } }, integrity)).toBe(hash);
  });
});

describe('readIntegrity', () => {
  const hash = 'b'.repeat(64);

  it('reads scheme-2 integrity metadata', () => {
    const integrity = { scheme: 2, algorithm: 'sha256', previousHash: null, hash, recordedAt: '2025-01-01T00:00:00.000Z' };
    expect(readIntegrity({ eventId: 'x', integrity })).toEqual(integrity);
  });

  it('reads well-formed integrity metadata', () => {
    expect(readIntegrity({ eventId: 'x', integrity: { algorithm: 'sha256', previousHash: null, hash } })).toEqual({ algorithm: 'sha256', previousHash: null, hash });
  });

  it.each([
    ['absent', { eventId: 'x' }],
    ['not an object', { integrity: 'sha256:abc' }],
    ['another algorithm', { integrity: { algorithm: 'md5', previousHash: null, hash } }],
    ['without hash', { integrity: { algorithm: 'sha256', previousHash: null } }],
    ['with a numeric previousHash', { integrity: { algorithm: 'sha256', previousHash: 1, hash } }],
    ['scheme 2 without recordedAt', { integrity: { scheme: 2, algorithm: 'sha256', previousHash: null, hash } }],
    ['an unknown scheme', { integrity: { scheme: 3, algorithm: 'sha256', previousHash: null, hash, recordedAt: '2025-01-01T00:00:00Z' } }],
  ])('returns undefined when %s', (_case, metadata) => {
    expect(readIntegrity(metadata)).toBeUndefined();
  });
});
