import { jestProjectConfig } from '../../../jest.preset';

export default {
  ...jestProjectConfig(__dirname),
  /*
   * One fresh worker process per test file. better-sqlite3's native addon is loaded once per
   * process and keeps the SqliteError class of the first module registry that loaded it; jest
   * gives every test file a new registry, so in a reused worker `instanceof SqliteError` fails in
   * the event-store adapter and its idempotent-retry path misbehaves. A memory limit far below
   * any real usage makes jest recycle the worker after every file (and never run in band).
   * Remove once the adapter recognises SQLite errors by `code` instead of `instanceof`.
   */
  workerIdleMemoryLimit: '1MB',
};
