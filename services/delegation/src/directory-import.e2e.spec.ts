import { connect } from 'node:net';
import request from 'supertest';
import { DelegationTestStack } from './test/delegation-test-stack';

/*
 * Issue #11: large directory imports stream. The NDJSON form of POST /directory/import is read
 * line by line after the caller is authenticated and authorised, validated whole before a row is
 * applied, applied a chunk at a time, answered a line per row, and idempotent.
 */

/**
 * Sends a request's head announcing a 50 MB body over a raw socket and never the body; resolves
 * with what the server answers. A server that read the body before answering would never answer
 * (the test then fails on its timeout).
 */
function answerWithoutBody(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}`, 'Connection: close', `Content-Length: ${50 * 1024 * 1024}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${head.join('\r\n')}\r\n\r\n`));
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      raw += data;
      const split = raw.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, split))?.[1] ?? NaN);
      if (split < 0 || Buffer.byteLength(raw.slice(split + 4)) < length) return;
      socket.destroy();
      resolve({ status: Number(raw.split(' ')[1]), body: raw.slice(split + 4) });
    });
    socket.on('error', reject);
  });
}

const ndjson = (rows: readonly object[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');
const outcomes = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('directory import as NDJSON (e2e)', () => {
  const stack = new DelegationTestStack({ relayEnabled: false });
  let hr: string;
  let anna: string;
  const head = () => stack.runtime!.parts.store.headPosition();
  const post = (token: string, body: string, headers: Record<string, string> = {}) =>
    request(stack.url).post('/directory/import').set({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson', ...headers }).send(body);

  beforeAll(async () => {
    await stack.start();
    [hr, anna] = await Promise.all([stack.token('hr-feed', ['directory-sync']), stack.token('anna')]);
  });
  afterAll(() => stack.stop());

  it('answers 401, 403 and 415 before a byte of the body is read', async () => {
    const url = stack.url;
    const without = await answerWithoutBody(url, '/directory/import', { 'Content-Type': 'application/x-ndjson' });
    expect(without.status).toBe(401);
    const employee = await answerWithoutBody(url, '/directory/import', { 'Content-Type': 'application/x-ndjson', Authorization: `Bearer ${anna}` });
    expect(employee.status).toBe(403);
    expect(JSON.parse(employee.body)).toMatchObject({ type: expect.stringMatching(/forbidden$/), status: 403 });
    const gzip = await answerWithoutBody(url, '/directory/import', { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', Authorization: `Bearer ${hr}` });
    expect(gzip.status).toBe(415);
    const latin1 = await answerWithoutBody(url, '/directory/import', { 'Content-Type': 'application/x-ndjson; charset=latin1', Authorization: `Bearer ${hr}` });
    expect(latin1.status).toBe(415);
    const text = await answerWithoutBody(url, '/directory/import', { 'Content-Type': 'text/csv', Authorization: `Bearer ${hr}` });
    expect(text.status).toBe(415);
  });

  it('imports a body larger than the JSON limit, a line per row as it goes, and changes nothing when it comes again', async () => {
    // 100 units with long ids, 1,100 people each a member of all of them: about 11.5 MB.
    const unitIds = Array.from({ length: 100 }, (_, i) => `unit-${String(i).padStart(3, '0')}-${'x'.repeat(90)}`);
    const units = [{ kind: 'unit', id: 'org', name: 'Organisation', parentId: null, managerIds: ['ceo'] }, ...unitIds.map((id) => ({ kind: 'unit', id, name: id.slice(0, 8), parentId: 'org', managerIds: [] }))];
    const people = Array.from({ length: 1_100 }, (_, i) => ({ kind: 'person', id: `emp-${i}`, displayName: `Employee ${i}`, email: `emp-${i}@example.test`, locale: 'de-CH', unitIds }));
    // People first: the units they join come later in the file; units are applied first regardless.
    const body = ndjson([...people, ...units]);
    expect(Buffer.byteLength(body)).toBeGreaterThan(10 * 1024 * 1024);
    const asJson = await stack.call(hr, 'post', '/directory/import', { units: units.map(({ kind: _kind, ...unit }) => unit), people: people.map(({ kind: _kind, ...person }) => person) });
    expect(asJson.status).toBe(413);

    const first = await post(hr, body);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = outcomes(first.text);
    expect(lines).toHaveLength(units.length + people.length + 1);
    expect(lines[0]).toEqual({ line: people.length + 1, kind: 'unit', id: 'org', outcome: 'created' });
    expect(lines[units.length]).toEqual({ line: 1, kind: 'person', id: 'emp-0', outcome: 'created' });
    expect(lines[lines.length - 1]).toEqual({ summary: { created: units.length + people.length, updated: 0, unchanged: 0, rejected: 0 } });
    const person = await stack.call(hr, 'get', '/directory/people/emp-1099');
    expect(person.body.unitIds).toHaveLength(100);

    const before = await head();
    const again = outcomes((await post(hr, body)).text);
    expect(again[again.length - 1]).toEqual({ summary: { created: 0, updated: 0, unchanged: units.length + people.length, rejected: 0 } });
    expect(await head()).toBe(before);
  }, 300_000);

  it('refuses a body with invalid lines as a whole, naming them, and writes nothing', async () => {
    const before = await head();
    const body = ndjson([
      { kind: 'unit', id: 'north', name: 'North', parentId: 'org', managerIds: [] },
      { kind: 'person', id: 'p-new', displayName: 'New', email: 'p-new@example.test', locale: 'en', unitIds: ['north'] },
      { kind: 'person', id: 'p-bad', displayName: 'Bad', email: 'p-bad@example.test', locale: 'en', unitIds: ['north'], salary: 1 },
    ]) + '{"kind":"unit"\n';
    const res = await post(hr, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, errorCount: 2, errors: [{ line: 3, path: '(body)' }, { line: 4, path: '(line)', message: 'not a JSON value' }] });
    expect(await head()).toBe(before);
    expect((await stack.call(hr, 'get', '/directory/units/north')).status).toBe(404);
  });

  it('documents both forms in the OpenAPI document', async () => {
    const docs = await stack.call(hr, 'get', '/docs-json');
    const content = docs.body.paths['/directory/import'].post.requestBody.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/x-ndjson']);
    expect(content['application/x-ndjson'].schema).toMatchObject({ oneOf: expect.any(Array) });
  });

  it('reports rows the rules reject and applies the rest; takes no Idempotency-Key', async () => {
    const body = ndjson([
      { kind: 'person', id: 'p-a', displayName: 'A', email: 'p-a@example.test', locale: 'en', unitIds: ['nowhere'] },
      { kind: 'person', id: 'p-b', displayName: 'B', email: 'p-b@example.test', locale: 'en', unitIds: ['org'] },
      { kind: 'person', id: 'p-b', displayName: 'B2', email: 'p-b@example.test', locale: 'en', unitIds: ['org'] },
      { kind: 'person', id: 'p-c', displayName: 'C', email: 'p-c@example.test', locale: 'en', unitIds: ['org'] },
    ]);
    expect((await post(hr, body, { 'Idempotency-Key': 'import-1' })).status).toBe(400);
    const lines = outcomes((await post(hr, body)).text);
    expect(lines).toEqual([
      { line: 1, kind: 'person', id: 'p-a', outcome: 'rejected', reason: expect.objectContaining({ rule: 'directory.unknown-unit' }) },
      { line: 2, kind: 'person', id: 'p-b', outcome: 'rejected', reason: { rule: 'directory.duplicate-id-in-batch', message: 'id "p-b" appears in lines 2, 3' } },
      { line: 3, kind: 'person', id: 'p-b', outcome: 'rejected', reason: { rule: 'directory.duplicate-id-in-batch', message: 'id "p-b" appears in lines 2, 3' } },
      { line: 4, kind: 'person', id: 'p-c', outcome: 'created' },
      { summary: { created: 1, updated: 0, unchanged: 0, rejected: 3 } },
    ]);
  });
});
