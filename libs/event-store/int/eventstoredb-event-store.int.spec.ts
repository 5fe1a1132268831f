import { testInfra } from '@leadership/testing';
import { EventStoreDbEventStore } from '@leadership/event-store-adapters';
import { describeEventStoreContract } from './event-store.contract';

/*
 * EventStoreDB runs only where one is reachable: the harness sets testInfra().eventStoreDb from
 * EVENTSTORE_CONNECTION_STRING or from a testcontainer. Elsewhere one skipped test says why, so
 * the gap shows in every report instead of passing unnoticed.
 */
const eventStoreDb = testInfra().eventStoreDb;

if (eventStoreDb) {
  describeEventStoreContract(
    'EventStoreDB',
    () => ({
      open: () => new EventStoreDbEventStore(eventStoreDb.connectionString),
      remote: { adapter: 'eventstoredb', connectionString: eventStoreDb.connectionString },
    }),
    // EventStoreDB knows event ids per stream only (see README.md, "Idempotency").
    { eventIdInOtherStream: 'written' },
  );
} else {
  describe('EventStoreDB contract (skipped: no EventStoreDB reachable — set EVENTSTORE_CONNECTION_STRING or run with Docker)', () => {
    it.skip('runs the event store contract suite against EventStoreDB', () => undefined);
  });
}
