/*
 * npm run asyncapi: regenerates the checked-in AsyncAPI documents from the contracts.
 * A test per service fails while a checked-in document is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delegationAsyncApi } from '@leadership/delegation-infrastructure';
import { workspaceRoot } from './lib/prerequisites';

const documents = { 'services/delegation/asyncapi.json': delegationAsyncApi() };
for (const [path, document] of Object.entries(documents)) {
  writeFileSync(join(workspaceRoot, path), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`written ${path}`);
}
