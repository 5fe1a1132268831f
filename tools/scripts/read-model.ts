/*
 * npm run read-model -- rebuild [--into <database>] [--force]
 * Rebuilds the delegation read model (MongoDB) from the event store, with progress. Without
 * --into it rebuilds the service's own database, which needs --force and a stopped service
 * (a running projector would write into it meanwhile); with --into it builds a fresh copy
 * beside it, e.g. to compare or to switch over.
 */
import mongoose from 'mongoose';
import { type ReadOnlyEventStore } from '@leadership/event-store';
import { SqliteEventStore, EventStoreDbEventStore } from '@leadership/event-store-adapters';
import { DelegationReadModel, delegationConfigFromEnv, rebuildReadModel } from '@leadership/delegation-infrastructure';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const [command] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (command !== 'rebuild') {
    console.error('usage: npm run read-model -- rebuild [--into <database>] [--force]');
    return 2;
  }
  const config = delegationConfigFromEnv();
  const into = option('into');
  if (!into && !process.argv.includes('--force')) {
    console.error(`this rebuilds ${config.mongoDb} in place: stop the delegation service first and add --force, or use --into <database>`);
    return 2;
  }
  const store: ReadOnlyEventStore = config.eventStoreDb ? new EventStoreDbEventStore(config.eventStoreDb) : SqliteEventStore.openReadOnly(config.sqliteFile);
  const connection = await mongoose.createConnection(config.mongoUri, { dbName: into ?? config.mongoDb, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    if (!connection.db) throw new Error('no MongoDB database');
    const started = Date.now();
    let last = 0;
    const count = await rebuildReadModel(store, new DelegationReadModel(connection.db), ({ events, position, head }) => {
      if (Date.now() - last < 500) return;
      last = Date.now();
      const share = head ? ` (${((Number(position) / Number(head)) * 100).toFixed(1)} % of the store)` : '';
      process.stderr.write(`  ${events} events applied, position ${position}${share}\n`);
    });
    console.log(`rebuilt ${into ?? config.mongoDb} from ${count} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await connection.close();
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
