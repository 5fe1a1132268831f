import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same content in any key order', () => {
    const one = { type: 'MandateProposed', data: { scope: { unitId: 'u-1', queueId: 'q' }, at: '2025-01-01T00:00:00Z' } };
    const other = JSON.parse('{"data":{"at":"2025-01-01T00:00:00Z","scope":{"queueId":"q","unitId":"u-1"}},"type":"MandateProposed"}') as unknown;
    expect(canonicalJson(other)).toBe(canonicalJson(one));
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson(['b', 'a'])).toBe('["b","a"]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('escapes strings and writes numbers as JSON does', () => {
    expect(canonicalJson({ text: 'quote " backslash \\ line\nend ü 😀', n: 1.5e-7, big: 1e21, neg: -0 })).toBe(
      '{"big":1e+21,"n":1.5e-7,"neg":0,"text":"quote \\" backslash \\\\ line\\nend ü 😀"}',
    );
  });

  it('writes primitives and empty containers', () => {
    expect([null, true, false, 0, '', [], {}].map(canonicalJson)).toEqual(['null', 'true', 'false', '0', '""', '[]', '{}']);
  });

  it.each([
    ['undefined', { a: undefined }, /\$\.a is a undefined/],
    ['NaN', { a: [1, Number.NaN] }, /\$\.a\[1\] is NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /\$ is Infinity/],
    ['a function', { f: () => 1 }, /\$\.f is a function/],
    ['a BigInt', { n: 1n }, /\$\.n is a bigint/],
    ['a Date', { at: new Date(0) }, /\$\.at is a Date/],
    ['a Map', new Map(), /\$ is a Map/],
  ])('refuses %s instead of dropping it silently', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
  });
});
