import { Readable } from 'node:stream';
import { NdjsonBodyError, readNdjsonLines, type NdjsonLine } from './ndjson-lines';

const limits = { maxBytes: 1024, maxLineBytes: 32 };
const lines = async (chunks: (string | Buffer)[], given = limits): Promise<NdjsonLine[]> => {
  const out: NdjsonLine[] = [];
  for await (const line of readNdjsonLines(Readable.from(chunks), given)) out.push(line);
  return out;
};

describe('readNdjsonLines', () => {
  it('splits lines across chunk boundaries, numbering every line and skipping blank ones', async () => {
    expect(await lines(['{"a":1}\n{"b"', ':2}\r\n\n  \n{"c":', '3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('{"n":"Åsa"}\n');
    expect(await lines([bytes.subarray(0, 7), bytes.subarray(7)])).toEqual([{ line: 1, text: '{"n":"Åsa"}' }]);
  });

  it('stops at a line longer than the limit, naming it, before reading on', async () => {
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        for (const chunk of ['{"a":1}\n', 'x'.repeat(20), 'x'.repeat(20), '\n{"never":"read"}\n']) {
          pulled += 1;
          yield chunk;
        }
      })(),
    );
    const read = async () => {
      for await (const _ of readNdjsonLines(body, limits)) void _;
    };
    await expect(read()).rejects.toMatchObject({ reason: 'line-too-long', line: 2 });
    expect(pulled).toBe(3);
  });

  it('stops when the body passes its limit', async () => {
    await expect(lines(Array.from({ length: 60 }, () => '{"row":"0123456789"}\n'))).rejects.toThrow(NdjsonBodyError);
    await expect(lines(Array.from({ length: 60 }, () => '{"row":"0123456789"}\n'))).rejects.toMatchObject({ reason: 'body-too-large', line: 49 });
  });

  it('refuses a line that is not UTF-8', async () => {
    await expect(lines([Buffer.from('{"a":1}\n'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])])).rejects.toMatchObject({ reason: 'invalid-utf8', line: 2 });
  });
});
