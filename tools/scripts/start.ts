/*
 * npm start: brings up the local infrastructure (Kafka, PostgreSQL, FerretDB on it, Mailpit;
 * installed on first use), then every service under services/ (each
 * `services/<name>/src/main.ts`, run with ts-node in transpile-only mode so Nest's decorator
 * metadata is emitted), prints where each listens (the infrastructure's URLs too, PostgreSQL's
 * for psql), and on Ctrl-C stops the services and the infrastructure it started itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { down, loadInfraConfig, up } from '@leadership/local-infra';
import { checkToolchains, workspaceRoot } from './lib/prerequisites';

interface ServiceInfo {
  readonly name: string;
  readonly main: string;
  readonly port?: number;
}

function discoverServices(): ServiceInfo[] {
  const dir = join(workspaceRoot, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'src/main.ts')))
    .map((name) => {
      const project = JSON.parse(readFileSync(join(dir, name, 'project.json'), 'utf8')) as { metadata?: { port?: number } };
      return { name, main: join(dir, name, 'src/main.ts'), port: project.metadata?.port };
    });
}

async function main(): Promise<void> {
  checkToolchains();
  const config = loadInfraConfig();
  console.log('starting local infrastructure…');
  const infra = await up(config, undefined, (l) => console.log(`  ${l}`));
  const startedByUs = infra.filter((r) => r.action === 'started').map((r) => r.name);

  const env = {
    ...process.env,
    KAFKA_BROKERS: `${config.host}:${config.ports.kafka}`,
    MONGO_URI: `mongodb://${config.host}:${config.ports.mongo}/`,
    SMTP_URL: `smtp://${config.host}:${config.ports.smtp}`,
    // The local stack trusts the local dev issuer (`npm run token`) unless an identity provider is configured.
    AUTH_MODE: process.env['AUTH_MODE'] ?? (process.env['AUTH_JWKS_URL'] ? 'jwks' : 'dev'),
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
  const children = new Map<string, ChildProcess>();
  for (const service of discoverServices()) {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', service.main],
      { cwd: workspaceRoot, env: { ...env, TS_NODE_PROJECT: join(workspaceRoot, 'services', service.name, 'tsconfig.json') }, stdio: 'inherit' },
    );
    children.set(service.name, child);
    child.on('exit', (code, signal) => {
      children.delete(service.name);
      if (!stopping) console.error(`${service.name} exited (${signal ?? code}); the others keep running`);
    });
  }

  console.log('\n──────── running ────────');
  for (const r of infra) {
    console.log(`${r.name.padEnd(22)} ${Object.values(r.endpoints).join('  ')}${r.action === 'external' ? '  (already running, not ours)' : ''}`);
  }
  for (const s of discoverServices()) {
    console.log(`${s.name.padEnd(22)} ${s.port ? `http://127.0.0.1:${s.port}  (OpenAPI: /docs, health: /health, metrics: /metrics)` : ''}`);
  }
  console.log(`logs of the infrastructure: ${config.paths.logs}\nCtrl-C stops everything.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    if (startedByUs.length > 0) await down(config, startedByUs);
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Keep the process alive while there is nothing but infrastructure to run.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
