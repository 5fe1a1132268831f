import type { ExpectedRevision } from '@leadership/event-store';

/** How a process of its own opens the store under test. */
export type RemoteStoreTarget =
  | { readonly adapter: 'sqlite'; readonly file: string }
  | { readonly adapter: 'eventstoredb'; readonly connectionString: string };

/** Work for one writer process of the contract suite (see contract-writer.process.ts). */
export type ContractWriterTask =
  | {
      /** Append one event at `expectedRevision`: used to race two processes for the same revision. */
      readonly kind: 'race';
      readonly target: RemoteStoreTarget;
      readonly writer: string;
      readonly streamName: string;
      readonly expectedRevision: ExpectedRevision;
    }
  | {
      /**
       * `count` times: append to `optimisticStream` at the revision just loaded (retrying on
       * conflict), then append to `anyStream` without a check.
       */
      readonly kind: 'append-many';
      readonly target: RemoteStoreTarget;
      readonly writer: string;
      readonly optimisticStream: string;
      readonly anyStream: string;
      readonly count: number;
    };

/** What a writer process did. */
export interface ContractWriterReport {
  readonly writer: string;
  /** Ids of the events it appended successfully. */
  readonly appendedEventIds: readonly string[];
  /** How many appends it lost to another writer (WrongExpectedRevisionError). */
  readonly conflicts: number;
}
