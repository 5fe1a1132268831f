/*
 * npm run asyncapi: regenerates the checked-in AsyncAPI document of every service,
 * services/<name>/asyncapi.json, from `<name>AsyncApi()` exported by the service's contracts
 * library (libs/<name>/contracts), or by its infrastructure library where the document also
 * describes relay details (delegation). A test per service fails while its document is stale.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './lib/prerequisites';

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

async function documentOf(service: string): Promise<unknown> {
  const exportName = `${camel(service)}AsyncApi`;
  for (const layer of ['contracts', 'infrastructure']) {
    const index = join(workspaceRoot, 'libs', service, layer, 'src/index.ts');
    if (!existsSync(index)) continue;
    const library = (await import(index)) as Record<string, unknown>;
    const make = library[exportName];
    if (typeof make === 'function') return (make as () => unknown)();
  }
  throw new Error(`services/${service} has an asyncapi.json, but neither libs/${service}/contracts nor libs/${service}/infrastructure exports ${exportName}()`);
}

async function main(): Promise<void> {
  const services = readdirSync(join(workspaceRoot, 'services')).filter((name) => existsSync(join(workspaceRoot, 'services', name, 'asyncapi.json')));
  for (const service of services) {
    writeFileSync(join(workspaceRoot, 'services', service, 'asyncapi.json'), `${JSON.stringify(await documentOf(service), null, 2)}\n`);
    console.log(`written services/${service}/asyncapi.json`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
