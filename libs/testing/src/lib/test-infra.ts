import { randomBytes } from 'node:crypto';

/** Connection details of the real infrastructure an integration test talks to. */
export interface TestInfra {
  /** `local`: processes started by `npm run infra`; `containers`: testcontainers. */
  readonly mode: 'local' | 'containers';
  readonly kafka: { readonly brokers: readonly string[] };
  readonly mongo: { readonly uri: string };
  readonly smtp: { readonly host: string; readonly port: number };
  readonly mailpit: { readonly apiUrl: string };
  /** Present only where an EventStoreDB is reachable (env or container). */
  readonly eventStoreDb?: { readonly connectionString: string };
}

export const TEST_INFRA_ENV = 'LEADERSHIP_TEST_INFRA';

/**
 * The one way tests learn where Kafka, MongoDB, SMTP and EventStoreDB are. Set by the jest
 * global setup of the `int` and `e2e` suites (libs/testing/src/lib/jest/global-setup.ts).
 */
export function testInfra(): TestInfra {
  const raw = process.env[TEST_INFRA_ENV];
  if (!raw) {
    throw new Error(
      `${TEST_INFRA_ENV} is not set: integration tests must run through the int/e2e jest projects ` +
        `(nx run <project>:int), whose global setup starts or finds the infrastructure`,
    );
  }
  return JSON.parse(raw) as TestInfra;
}

const runId = process.env['LEADERSHIP_TEST_RUN_ID'] ?? randomBytes(3).toString('hex');

/**
 * A name no other suite, worker or earlier run uses: `<prefix>-<run>-<random>`. Use it for
 * topics, consumer groups and databases so suites run in parallel and re-run without cleanup.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${runId}-${randomBytes(4).toString('hex')}`;
}

/** A MongoDB URI of a database of its own (FerretDB and MongoDB both create it on first write). */
export function isolatedMongoUri(prefix = 'test'): { uri: string; dbName: string } {
  const dbName = uniqueName(prefix).replace(/-/g, '_');
  const base = testInfra().mongo.uri.replace(/\/?(\?.*)?$/, '');
  const query = testInfra().mongo.uri.match(/\?.*$/)?.[0] ?? '';
  return { uri: `${base}/${dbName}${query}`, dbName };
}

/** Polls until `check` returns a value other than undefined, or fails with the last error. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`${options.what ?? 'condition'} not reached within ${options.timeoutMs ?? 20_000} ms${reason}`);
}
