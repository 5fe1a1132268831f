import 'reflect-metadata';
import { delegationConfigFromEnv, startDelegationService } from '@leadership/delegation-infrastructure';
import { JsonLogger } from '@leadership/platform-nest';

/** Composition root of the delegation service: configuration from the environment, then wiring. */
async function main(): Promise<void> {
  const logger = new JsonLogger('delegation');
  const config = delegationConfigFromEnv();
  const runtime = await startDelegationService(config);
  logger.log({ msg: 'delegation service listening', url: runtime.url, docs: `${runtime.url}/docs`, store: config.eventStoreDb ? 'eventstoredb' : config.sqliteFile });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'stopping', signal });
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  new JsonLogger('delegation').fatal(error instanceof Error ? error : String(error), 'main');
  process.exit(1);
});
