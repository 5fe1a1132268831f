import { createHash } from 'node:crypto';
import { deterministicId, metadataFor } from './command-context';
import { sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it.each([
    ['', 'empty'],
    ['abc', 'short'],
    ['x'.repeat(55), 'one block with length'],
    ['x'.repeat(56), 'length spills into a second block'],
    ['y'.repeat(64), 'exactly one block of data'],
    ['å∂ƒ©˙∆ unicode 🎉', 'multi-byte UTF-8'],
    ['z'.repeat(1000), 'many blocks'],
  ])('equals node:crypto for %j (%s)', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('deterministicId', () => {
  it('is a version-8 UUID, stable for the same parts and different for others', () => {
    const id = deterministicId('mandate', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('mandate', 'key-1')).toBe(id);
    expect(deterministicId('mandate', 'key-2')).not.toBe(id);
    // Parts are separated, not concatenated: ('ab','c') is not ('a','bc').
    expect(deterministicId('ab', 'c')).not.toBe(deterministicId('a', 'bc'));
  });

  it('keeps the ids derived before it moved to pure code (node:crypto sha256 of the joined parts)', () => {
    const hex = createHash('sha256').update(['idem', 'delegation-1', 'MandateProposed', '0'].join('\u0000')).digest('hex');
    expect(deterministicId('idem', 'delegation-1', 'MandateProposed', '0').replace(/-/g, '').slice(0, 12)).toBe(hex.slice(0, 12));
  });
});

describe('metadataFor', () => {
  it('derives event ids from the idempotency key, per stream, type and index', () => {
    const meta = metadataFor({ actorId: 'ana', idempotencyKey: 'k', correlationId: 'c' }, 'delegation-1');
    expect(meta({ type: 'A' }, 0)).toEqual({ eventId: deterministicId('k', 'delegation-1', 'A', '0'), actor: 'ana', correlationId: 'c' });
    expect(meta({ type: 'A' }, 1).eventId).not.toBe(meta({ type: 'A' }, 0).eventId);
  });

  it('leaves the event id to the command handler without an idempotency key', () => {
    expect(metadataFor({ actorId: 'ana', traceparent: 't' }, 's-1')({ type: 'A' }, 0)).toEqual({ actor: 'ana', traceparent: 't' });
  });
});
