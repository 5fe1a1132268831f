import { loadInfraConfig, up } from '@leadership/local-infra';
import { containerRuntimeAvailable } from '../container-runtime';
import { startContainers } from '../containers';
import { TEST_INFRA_ENV, type TestInfra } from '../test-infra';

/*
 * Gives the int/e2e suites real infrastructure, once per jest run: testcontainers when a
 * container engine answers, otherwise the local processes of `npm run infra` (started when not
 * running, reused when they are). Connection details travel to the test workers through one
 * environment variable read by `testInfra()`.
 */
export async function infraSetup(): Promise<void> {
  if (process.env[TEST_INFRA_ENV]) return; // an outer runner already provided it
  let infra: TestInfra;
  if (await containerRuntimeAvailable()) {
    const started = await startContainers();
    (globalThis as { __leadershipContainers?: unknown }).__leadershipContainers = started.containers;
    infra = started.infra;
  } else {
    const config = loadInfraConfig();
    await up(config, undefined, (line) => process.stderr.write(`${line}\n`));
    const esdb = process.env['EVENTSTORE_CONNECTION_STRING'];
    infra = {
      mode: 'local',
      kafka: { brokers: [`${config.host}:${config.ports.kafka}`] },
      mongo: { uri: `mongodb://${config.host}:${config.ports.mongo}/` },
      smtp: { host: config.host, port: config.ports.smtp },
      mailpit: { apiUrl: `http://${config.host}:${config.ports.mailpitHttp}` },
      ...(esdb ? { eventStoreDb: { connectionString: esdb } } : {}),
    };
  }
  process.env[TEST_INFRA_ENV] = JSON.stringify(infra);
}
