import 'reflect-metadata';
import { join } from 'node:path';
import { JsonLogger } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService } from '@leadership/platform-runtime';
import { caseDistributionService } from './case-distribution.app';
import { caseDistributionOptionsFromEnv } from './case-distribution.config';

/** Composition root of the case distribution service: configuration from the environment (common and its own), then the one start and shutdown path. */
async function main(): Promise<void> {
  const config = serviceConfigFromEnv('case-distribution', { defaultPort: 3002, workspaceRoot: join(__dirname, '../../..') });
  const service = await startService(caseDistributionService(config, caseDistributionOptionsFromEnv()));
  service.lifecycle.handleSignals();
  service.infrastructure.logger.log({
    msg: 'case distribution service listening',
    url: service.url,
    docs: `${service.url}/docs`,
    store: config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'eventstoredb',
  });
}

main().catch((error: unknown) => {
  new JsonLogger('case-distribution').fatal(error instanceof Error ? error : String(error), 'main');
  process.exit(1);
});
