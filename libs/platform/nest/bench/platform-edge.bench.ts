/*
 * npm run bench -- platform-edge
 *
 * What the platform's HTTP edge costs per request, without any service logic: a Nest app made by
 * createHttpService (correlation id and metrics, authentication before the body, JSON parser,
 * global guard, zod body validation, @CurrentActor, problem filter) whose handler only answers,
 * against the physical limit: a bare Express route with the same JSON parser on the same HTTP
 * server, hit by the same client with the same requests (a ~700-byte JSON body, a dev-issuer
 * ES256 bearer token per caller, 40 callers).
 *
 * Two edges are measured: with the verified-token cache (the default) and with it switched off
 * (tokenCacheSize 0: every request pays the ES256 verification, as before the cache). Rounds
 * alternate the sides; the median round is reported, with process CPU per request.
 *
 * Nest resolves constructor parameters from emitted decorator metadata, which tsx (esbuild) does
 * not emit: under the bench runner this file runs itself again under ts-node (transpile-only).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import express from 'express';
import { z } from 'zod';
import { createHttpService, CurrentActor, issueDevToken, PlatformModule, ZodBody, type Actor } from '@leadership/platform-nest';
import { reportBench } from '@leadership/testing';

const CONCURRENCY = 8;
const ROUNDS = 5;
const REQUESTS = 4_000;
const WARMUP = 1_000;
const CALLERS = 40;

@Injectable()
class DecoratorMetadataProbe {
  constructor(readonly clock: Date) {}
}

const Proposal = z.strictObject({
  delegateId: z.string(),
  taskType: z.string(),
  scope: z.strictObject({ unitId: z.string() }),
  direction: z.strictObject({ purpose: z.string(), successCriteria: z.array(z.string()) }),
  framework: z.strictObject({
    rules: z.array(z.strictObject({ id: z.string(), text: z.string(), mode: z.enum(['warn', 'enforce']) })),
    reservedDecisions: z.array(z.string()),
    escalationContactId: z.string(),
  }),
  authorities: z.array(z.string()),
  period: z.strictObject({ from: z.string(), until: z.string() }),
  reviewCadenceDays: z.number().int(),
});

@Controller()
class EdgeController {
  @Post('mandates')
  propose(@ZodBody(Proposal) body: z.infer<typeof Proposal>, @CurrentActor() actor: Actor) {
    return { delegateId: body.delegateId, by: actor.personId };
  }
}

const body = JSON.stringify({
  delegateId: 'bench-member-1',
  taskType: 'coordination',
  scope: { unitId: 'bench-team' },
  direction: { purpose: 'Coordinate the team while the manager is on parental leave', successCriteria: ['Every task has an owner within one day', 'No task waits more than a week'] },
  framework: {
    rules: [
      { id: 'r1', text: 'Reassign only within the team', mode: 'enforce' },
      { id: 'r2', text: 'Tell the colleague before reassigning their task', mode: 'warn' },
    ],
    reservedDecisions: ['dismissals', 'salary changes'],
    escalationContactId: 'bench-head',
  },
  authorities: ['tasks.reassign', 'tasks.view-all'],
  period: { from: '2026-07-01T00:00:00.000Z', until: '2026-09-29T00:00:00.000Z' },
  reviewCadenceDays: 14,
});

async function edge(keyFile: string, tokenCacheSize: number): Promise<{ app: INestApplication; port: number }> {
  @Module({ imports: [PlatformModule.forRoot({ serviceName: 'platform-edge', auth: { mode: 'dev', keyFile, tokenCacheSize } })], controllers: [EdgeController] })
  class EdgeModule {}
  const app = await createHttpService(EdgeModule, { serviceName: 'platform-edge', title: 'edge', description: 'bench', version: '1' });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

/** The bare route on the given server, in front of Nest (see mandate-commands.bench.ts for why not on Nest's Express). */
function serveBare(server: Server): void {
  const bare = express();
  bare.disable('x-powered-by');
  bare.set('etag', false);
  bare.use(express.json({ limit: '256kb', strict: true, type: ['application/json', 'application/*+json'] }));
  bare.post('/__bare/mandates', (req, res) => {
    res.status(201).json({ delegateId: (req.body as { delegateId?: string }).delegateId, by: 'bare' });
  });
  const nest = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/__bare/')) bare(req, res);
    else for (const listener of nest) listener(req, res);
  });
}

/** One request; undici (fetch) keeps the connections alive. The body is read to its end, as any client must. */
async function post(port: number, path: string, token: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
  await res.arrayBuffer();
  return res.status;
}

interface Run {
  readonly perSecond: number;
  readonly cpuMsPerRequest: number;
}

async function drive(port: number, path: string, tokens: readonly string[], requests: number): Promise<Run> {
  let sent = 0;
  const worker = async () => {
    while (sent < requests) {
      const status = await post(port, path, tokens[sent++ % tokens.length] as string);
      if (status !== 201) throw new Error(`POST ${path}: ${status}`);
    }
  };
  const cpu = process.cpuUsage();
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: requests / seconds, cpuMsPerRequest: (used.user + used.system) / 1000 / requests };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (n: number) => Math.round(n * 1000) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'platform-edge-bench-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const tokens = await Promise.all(Array.from({ length: CALLERS }, (_, i) => issueDevToken({ sub: `bench-member-${i}`, keyFile })));
  const cached = await edge(keyFile, 10_000);
  const uncached = await edge(keyFile, 0);
  serveBare(cached.app.getHttpServer() as Server);
  try {
    const sides = {
      bare: (requests = REQUESTS) => drive(cached.port, '/__bare/mandates', tokens, requests),
      cached: (requests = REQUESTS) => drive(cached.port, '/mandates', tokens, requests),
      uncached: (requests = REQUESTS) => drive(uncached.port, '/mandates', tokens, requests),
    };
    const runs: Record<keyof typeof sides, Run[]> = { bare: [], cached: [], uncached: [] };
    for (const side of Object.values(sides)) await side(WARMUP);
    for (let r = 0; r < ROUNDS; r++) {
      const order = (Object.keys(sides) as (keyof typeof sides)[]).map((_, i, all) => all[(i + r) % all.length] as keyof typeof sides);
      for (const side of order) {
        (globalThis as { gc?: () => void }).gc?.();
        runs[side].push(await sides[side]());
      }
    }
    const rate = (side: keyof typeof sides) => median(runs[side].map((run) => run.perSecond));
    const cpu = (side: keyof typeof sides) => round(median(runs[side].map((run) => run.cpuMsPerRequest)));
    reportBench({
      name: 'platform-edge',
      unit: 'requests/s',
      baseline: rate('bare'),
      candidate: rate('cached'),
      ratio: rate('cached') / rate('bare'),
      cases: [{ case: 'edge without token cache', unit: 'requests/s', baseline: rate('bare'), candidate: rate('uncached'), ratio: rate('uncached') / rate('bare') }],
      extra: {
        concurrency: CONCURRENCY,
        'requests per round': REQUESTS,
        'bare route: process CPU ms/request': cpu('bare'),
        'edge, token cache: process CPU ms/request': cpu('cached'),
        'edge, no token cache: process CPU ms/request': cpu('uncached'),
        'edge overhead with cache: CPU ms/request over bare': round(cpu('cached') - cpu('bare')),
        'ES256 verification saved by the cache: CPU ms/request': round(cpu('uncached') - cpu('cached')),
      },
      notes:
        'Candidate: POST /mandates through createHttpService + PlatformModule (auth middleware before the body, JSON parser, guard, zod strict body, ' +
        '@CurrentActor; the handler only answers). Baseline: the same requests to a bare Express route with the same parser on the same server. ' +
        `${CALLERS} callers' ES256 dev tokens in rotation; fetch (undici, keep-alive) in the same process; median of ${ROUNDS} rotating rounds; client CPU is in the CPU figures.`,
    });
  } finally {
    await cached.app.close();
    await uncached.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (Reflect.getMetadata('design:paramtypes', DecoratorMetadataProbe) === undefined) {
  const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename], {
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_PROJECT: join(__dirname, 'tsconfig.json'), LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
  });
  process.exit(child.status ?? 1);
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
