/*
 * npm run read-model -- rebuild [--into <database>] [--force]
 * Rebuilds the delegation read model (MongoDB) from the event store, with progress. Without
 * --into it rebuilds the service's own database, which needs --force and a stopped service
 * (a running projector would write into it meanwhile); with --into it builds a fresh copy
 * beside it, e.g. to compare or to switch over.
 */
import mongoose from 'mongoose';
import { DelegationReadModel } from '@leadership/delegation-infrastructure';
import { openReadOnlyEventStore, serviceConfigFromEnv } from '@leadership/platform-runtime';
import { workspaceRoot } from './lib/prerequisites';
import { describeMongoServer, MongoProjectionBookkeeping, rebuildProjection } from '@leadership/projection';

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
  // The delegation service's own settings (DELEGATION_EVENT_STORE / EVENTSTORE_CONNECTION_STRING, MONGO_URI, DELEGATION_MONGO_DB).
  const config = serviceConfigFromEnv('delegation', { defaultPort: 3001, workspaceRoot });
  const into = option('into');
  if (!into && !process.argv.includes('--force')) {
    console.error(`this rebuilds ${config.mongoDb} in place: stop the delegation service first and add --force, or use --into <database>`);
    return 2;
  }
  const store = openReadOnlyEventStore(config.eventStore);
  const connection = await mongoose.createConnection(config.mongoUri, { dbName: into ?? config.mongoDb, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    if (!connection.db) throw new Error('no MongoDB database');
    console.log(`rebuilding ${into ?? config.mongoDb} on ${await describeMongoServer(connection.db)}`);
    const started = Date.now();
    let last = 0;
    const report = await rebuildProjection(store, new DelegationReadModel(connection), {
      bookkeeping: new MongoProjectionBookkeeping(connection),
      logger: {
        info: (msg, fields) => process.stderr.write(`  ${msg} ${JSON.stringify(fields ?? {})}\n`),
        warn: (msg, fields) => process.stderr.write(`  ${msg} ${JSON.stringify(fields ?? {})}\n`),
        error: (msg, fields) => process.stderr.write(`  ${msg} ${JSON.stringify(fields ?? {})}\n`),
      },
      onProgress: ({ events, position, head }) => {
        if (Date.now() - last < 500 && position !== head) return;
        last = Date.now();
        const share = head ? ` (${((Number(position) / Number(head)) * 100).toFixed(1)} % of the store)` : '';
        const rate = events / Math.max(0.001, (Date.now() - started) / 1000);
        process.stderr.write(`  ${events} events, position ${position} of head ${head ?? 'none'}${share}, ${rate.toFixed(0)} events/s\n`);
      },
    });
    console.log(`rebuilt ${into ?? config.mongoDb} from ${report.events} events (${report.applied} applied) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (report.parked > 0) {
      console.error(`${report.parked} events could not be applied and are parked in projection_parked: fix the cause, then rebuild again`);
      return 1;
    }
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
