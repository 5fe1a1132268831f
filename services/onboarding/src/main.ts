import 'reflect-metadata';
import { join } from 'node:path';
import { JsonLogger } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService } from '@leadership/platform-runtime';
import { onboardingService } from './onboarding.app';

/** Composition root of the onboarding service: configuration from the environment, then the one start and shutdown path. */
async function main(): Promise<void> {
  const config = serviceConfigFromEnv('onboarding', { defaultPort: 3003, workspaceRoot: join(__dirname, '../../..') });
  const service = await startService(onboardingService(config));
  service.lifecycle.handleSignals();
  service.infrastructure.logger.log({
    msg: 'onboarding service listening',
    url: service.url,
    docs: `${service.url}/docs`,
    store: config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'eventstoredb',
  });
}

main().catch((error: unknown) => {
  new JsonLogger('onboarding').fatal(error instanceof Error ? error : String(error), 'main');
  process.exit(1);
});
