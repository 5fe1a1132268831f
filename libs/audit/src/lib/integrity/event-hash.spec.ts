import { createHash } from 'node:crypto';
import { computeEventHash, readIntegrity, type HashedEventContent } from './event-hash';

const content: HashedEventContent = {
  previousHash: null,
  eventId: '0b6f1c1e-7d2a-4c1e-9a51-4f3a3a0d2b10',
  streamName: 'delegation-m-1',
  type: 'MandateAccepted',
  data: { mandateId: 'm-1', actorId: 'p-1', at: '2025-01-11T09:00:00Z' },
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('computeEventHash', () => {
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
    const extended = { ...content, revision: 7, recordedAt: '2030-01-01T00:00:00Z' } as HashedEventContent;
    expect(computeEventHash(extended)).toBe(computeEventHash(content));
  });
});

describe('readIntegrity', () => {
  const hash = 'b'.repeat(64);

  it('reads well-formed integrity metadata', () => {
    expect(readIntegrity({ eventId: 'x', integrity: { algorithm: 'sha256', previousHash: null, hash } })).toEqual({ algorithm: 'sha256', previousHash: null, hash });
  });

  it.each([
    ['absent', { eventId: 'x' }],
    ['not an object', { integrity: 'sha256:abc' }],
    ['another algorithm', { integrity: { algorithm: 'md5', previousHash: null, hash } }],
    ['without hash', { integrity: { algorithm: 'sha256', previousHash: null } }],
    ['with a numeric previousHash', { integrity: { algorithm: 'sha256', previousHash: 1, hash } }],
  ])('returns undefined when %s', (_case, metadata) => {
    expect(readIntegrity(metadata)).toBeUndefined();
  });
});
