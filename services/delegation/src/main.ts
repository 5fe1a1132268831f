import 'reflect-metadata';
import { JsonLogger } from '@leadership/platform-nest';
import { delegationConfigFromEnv } from './delegation.config';
import { startDelegationService } from './delegation.app';

/** Entry point: configuration from the environment, the composed service, the one shutdown path. */
async function main(): Promise<void> {
  const config = delegationConfigFromEnv();
  const service = await startDelegationService(config);
  service.lifecycle.handleSignals();
  const store = config.eventStore.kind === 'eventstoredb' ? 'eventstoredb' : config.eventStore.file;
  service.infrastructure.logger.log({ msg: 'delegation service listening', url: service.url, docs: `${service.url}/docs`, store });
}

main().catch((error: unknown) => {
  new JsonLogger('delegation').fatal(error instanceof Error ? error : String(error), 'main');
  process.exit(1);
});
