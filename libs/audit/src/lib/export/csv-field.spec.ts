import { csvField } from './export-events';

describe('csvField (RFC 4180)', () => {
  it('leaves plain fields alone', () => {
    expect(csvField('delegation-m-1')).toBe('delegation-m-1');
    expect(csvField('')).toBe('');
  });

  it.each([
    ['a comma', 'a,b', '"a,b"'],
    ['a double quote', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'one\ntwo', '"one\ntwo"'],
    ['a carriage return', 'one\rtwo', '"one\rtwo"'],
  ])('quotes a field with %s and doubles its quotes', (_case, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});
