import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { parse } from 'yaml';
import { eventually, testInfra, TEST_INFRA_ENV, uniqueName } from '@leadership/testing';
import { copyWorkspace, workspaceRoot } from './test/workspace-copy';

/*
 * The judge of the generator: in a copy of the workspace as it is now (the libraries the templates
 * use included), generate a service and run the generated projects' own targets — lint,
 * typecheck, unit tests, then the int and e2e suites on the real stack this jest run provides
 * (LEADERSHIP_TEST_INFRA is handed down, so the inner runs reuse it). Nothing is edited between.
 */
const NAME = 'sample-svc';
const PROJECTS = [NAME, `${NAME}-domain`, `${NAME}-application`, `${NAME}-infrastructure`, `${NAME}-contracts`];

interface Run {
  readonly status: number | null;
  readonly output: string;
}

describe(`nx g @leadership/workspace:service ${NAME} in a copy of the workspace`, () => {
  jest.setTimeout(20 * 60_000);
  const workspace = copyWorkspace();
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    // The copy has no .local: never let an inner run install infrastructure there.
    LEADERSHIP_LOCAL_HOME: join(workspaceRoot, '.local'),
  };
  const run = (command: string, args: readonly string[], input?: string): Run => {
    const result = spawnSync(command, args, { cwd: workspace.root, env, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
    return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  };
  const nx = (...args: string[]) => run(process.execPath, [join(workspace.root, 'node_modules/nx/dist/bin/nx.js'), ...args]);
  /** A failed run shows its output in the assertion message. */
  const expectSuccess = (result: Run) => expect({ status: result.status, output: result.status === 0 ? '' : result.output.slice(-20_000) }).toEqual({ status: 0, output: '' });
  let generated: Run;

  beforeAll(() => {
    generated = nx('g', '@leadership/workspace:service', NAME, '--port', '3099', '--no-interactive');
  });

  afterAll(() => workspace.remove());

  it('is listed with its options by --help', () => {
    const help = nx('g', '@leadership/workspace:service', '--help');
    expectSuccess(help);
    expect(help.output).toMatch(/--port/);
    expect(help.output).toMatch(/--aggregate/);
  });

  it('generates the service and writes its AsyncAPI document from the generated contracts', () => {
    expectSuccess(generated);
    const asyncapi = JSON.parse(readFileSync(join(workspace.root, `services/${NAME}/asyncapi.json`), 'utf8')) as { channels: Record<string, unknown> };
    expect(Object.keys(asyncapi.channels)).toEqual([`leadership.${NAME}.items.v1`]);
  });

  it('leaves docker-compose.yml and the kustomization valid YAML with the new entries', () => {
    const compose = parse(readFileSync(join(workspace.root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { ports: string[] }> };
    expect(compose.services[NAME]?.ports).toEqual(['127.0.0.1:3099:3099']);
    const kustomization = parse(readFileSync(join(workspace.root, 'deploy/kubernetes/kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(kustomization.resources).toContain(NAME);
  });

  it('refuses to generate it a second time (name and port are taken)', () => {
    const again = nx('g', '@leadership/workspace:service', NAME, '--port', '3098', '--no-interactive');
    expect(again.status).not.toBe(0);
    expect(again.output).toContain(`services/${NAME} already exists`);
  });

  it('passes lint, typecheck and its unit tests without edits', () => {
    expectSuccess(nx('run-many', '-t', 'lint,typecheck,test', '-p', ...PROJECTS, '--parallel=2', '--outputStyle=stream', '--skipNxCache'));
  });

  it('passes its int and e2e suites on the real stack (Kafka, MongoDB wire server, SQLite event store)', () => {
    expect(process.env[TEST_INFRA_ENV]).toBeDefined();
    expectSuccess(nx('run-many', '-t', 'int,e2e', '-p', `${NAME}-infrastructure`, NAME, '--parallel=1', '--outputStyle=stream'));
  });

  it('compiles as its container image does (tsc + alias links) and the compiled service starts, answers /health and stops on SIGTERM', async () => {
    expectSuccess(run(process.execPath, [join(workspace.root, 'node_modules/typescript/bin/tsc'), '-p', `deploy/docker/tsconfig.${NAME}.json`]));
    expectSuccess(run(process.execPath, ['deploy/docker/link-workspace-aliases.cjs', 'dist']));
    const dbName = uniqueName('sample_svc_image').replace(/-/g, '_');
    const child = spawn(process.execPath, [`dist/services/${NAME}/src/main.js`], {
      cwd: workspace.root,
      env: {
        ...env,
        NODE_ENV: 'development',
        AUTH_MODE: 'dev',
        AUTH_DEV_KEY_FILE: join(workspace.root, '.local/auth/dev-issuer.json'),
        SAMPLE_SVC_PORT: '0',
        SAMPLE_SVC_EVENT_STORE: join(workspace.root, '.local/image-test/events.sqlite'),
        SAMPLE_SVC_MONGO_DB: dbName,
        MONGO_URI: testInfra().mongo.uri,
        KAFKA_BROKERS: testInfra().kafka.brokers.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await eventually(() => /"msg":"sample svc service listening","url":"([^"]+)"/.exec(logs)?.[1], { timeoutMs: 60_000, what: 'the compiled service listening' }).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; its output:\n${logs.slice(-4000)}`);
      });
      // 200 once everything is up. No delegation relay reports progress for this run (no delegation
      // service; other suites' reports may reach the shared broker, or not), and without reports the
      // authority projection never counts as fresh: a 503 for that one reason is the image working.
      const health = await eventually(async () => {
        const response = await fetch(`${url}/health`);
        const body = (await response.json()) as { details?: Record<string, unknown>; error?: Record<string, { message?: string }> };
        const down = Object.entries(body.error ?? {});
        const onlyUnreported = down.length === 1 && down[0]?.[0] === 'authority' && /relay has not reported progress/.test(down[0][1].message ?? '');
        return response.status === 200 || (response.status === 503 && onlyUnreported) ? body : undefined;
      }, { what: '/health answering with every component up (the authority check waiting for relay progress at most)', timeoutMs: 180_000 });
      expect(Object.keys(health.details ?? {})).toEqual(expect.arrayContaining(['event-store', 'mongodb', 'relay', 'authority']));
      child.kill('SIGTERM');
      const code = await exited;
      expect({ code, logs: code === 0 ? '' : logs.slice(-6000) }).toEqual({ code: 0, logs: '' });
    } finally {
      child.kill('SIGKILL');
      const client = await MongoClient.connect(testInfra().mongo.uri);
      await client.db(dbName).dropDatabase().catch(() => undefined);
      await client.close();
    }
  });

  it('is a set of Nx projects with a module boundary of its own: its domain may not import another context', () => {
    // Also builds the project graph the boundary rule reads (a fresh copy has none cached).
    const projects = nx('show', 'projects', '--json');
    expectSuccess(projects);
    expect(JSON.parse(projects.output.slice(projects.output.indexOf('['))) as string[]).toEqual(expect.arrayContaining(PROJECTS));
    const violation = run(
      process.execPath,
      [join(workspace.root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(workspace.root, `libs/${NAME}/domain/src/lib/violation.ts`), '--format', 'json'],
      "import { mandateDecider } from '@leadership/delegation-domain';\nexport const d = mandateDecider;\n",
    );
    expect(violation.output).toMatch(new RegExp(`scope:${NAME}.*can only depend on libs tagged with`, 's'));
  });

  it('keeps the generated files out of the real repository', () => {
    expect(existsSync(join(workspaceRoot, 'services', NAME))).toBe(false);
    expect(existsSync(join(workspaceRoot, 'libs', NAME))).toBe(false);
  });
});
