import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDirectoryContactSource } from './directory.projection';

/* The directory API client against a real HTTP server: a 404 is "no such person", anything else that is not a 2xx is "could not ask". */
describe('HttpDirectoryContactSource', () => {
  let server: Server;
  let baseUrl: string;
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      const id = decodeURIComponent((req.url ?? '').replace('/directory/people/', ''));
      if (id === 'ana') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ personId: 'ana', email: 'ana@example.test', displayName: 'Ana Andersson', locale: 'sv-SE', version: 4 }));
      } else if (id === 'ghost') {
        res.writeHead(404, { 'Content-Type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 404, detail: 'No person ghost.' }));
      } else if (id === 'forbidden') {
        res.writeHead(403).end();
      } else {
        res.writeHead(503).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers the person, or not-found for a 404 — with the system token', async () => {
    const source = new HttpDirectoryContactSource(baseUrl, async () => 'system-token');
    await expect(source.fetch('ana')).resolves.toEqual({ email: 'ana@example.test', displayName: 'Ana Andersson', locale: 'sv-SE', version: 4 });
    await expect(source.fetch('ghost')).resolves.toBe('not-found');
    expect(authorizations.at(-1)).toBe('Bearer system-token');
  });

  it('answers undefined (unknown) when the directory refuses, fails, cannot be reached or no token can be had', async () => {
    const source = new HttpDirectoryContactSource(baseUrl, async () => 'system-token');
    await expect(source.fetch('forbidden')).resolves.toBeUndefined();
    await expect(source.fetch('broken')).resolves.toBeUndefined();
    await expect(new HttpDirectoryContactSource('http://127.0.0.1:1', async () => 'system-token', 500).fetch('ana')).resolves.toBeUndefined();
    await expect(new HttpDirectoryContactSource(baseUrl, () => Promise.reject(new Error('NOTIFICATIONS_DIRECTORY_TOKEN is not set'))).fetch('ana')).resolves.toBeUndefined();
  });
});
