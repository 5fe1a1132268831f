/*
 * A writer in a process of its own, for the contract suite's concurrency tests: separate
 * processes have separate connections and really run at the same time, which writers sharing
 * one event loop never do.
 *
 * Protocol: argv[2] is a JSON ContractWriterTask. The process opens the store, prints `ready`,
 * waits for a line on stdin (the start signal, so that all writers start together), runs the
 * task, prints one JSON ContractWriterReport line and exits.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { WrongExpectedRevisionError, type EventStore, type ExpectedRevision } from '@leadership/event-store';
import { EventStoreDbEventStore, SqliteEventStore } from '@leadership/event-store-adapters';
import type { ContractWriterReport, ContractWriterTask, RemoteStoreTarget } from './contract-writer.types';

function open(target: RemoteStoreTarget): EventStore {
  return target.adapter === 'sqlite' ? new SqliteEventStore(target.file) : new EventStoreDbEventStore(target.connectionString);
}

async function lastRevision(store: EventStore, streamName: string): Promise<ExpectedRevision> {
  const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
  return last ? last.revision : 'no_stream';
}

async function run(task: ContractWriterTask, store: EventStore): Promise<ContractWriterReport> {
  const event = (type: string): { type: string; data: { writer: string }; metadata: { eventId: string } } => ({
    type,
    data: { writer: task.writer },
    metadata: { eventId: randomUUID() },
  });
  if (task.kind === 'race') {
    const appended = event('RaceWon');
    try {
      await store.appendToStream(task.streamName, [appended], task.expectedRevision);
      return { writer: task.writer, appendedEventIds: [appended.metadata.eventId], conflicts: 0 };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return { writer: task.writer, appendedEventIds: [], conflicts: 1 };
      throw error;
    }
  }
  const appendedEventIds: string[] = [];
  let conflicts = 0;
  for (let i = 0; i < task.count; i++) {
    const optimistic = event('OptimisticAppend');
    // Load, then append at the loaded revision; a concurrent writer makes it fail and we retry.
    for (;;) {
      try {
        await store.appendToStream(task.optimisticStream, [optimistic], await lastRevision(store, task.optimisticStream));
        appendedEventIds.push(optimistic.metadata.eventId);
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        conflicts++;
      }
    }
    const unchecked = event('UncheckedAppend');
    await store.appendToStream(task.anyStream, [unchecked], 'any');
    appendedEventIds.push(unchecked.metadata.eventId);
  }
  return { writer: task.writer, appendedEventIds, conflicts };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '') as ContractWriterTask;
  const store = open(task.target);
  const lines = createInterface({ input: process.stdin });
  const start = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  process.stdout.write('ready\n');
  await start;
  lines.close();
  try {
    process.stdout.write(`${JSON.stringify(await run(task, store))}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
