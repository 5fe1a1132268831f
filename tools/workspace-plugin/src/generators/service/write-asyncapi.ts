/*
 * Writes services/<name>/asyncapi.json from the generated contracts (run by the service generator
 * through tsx, which resolves the @leadership/* paths of the workspace's tsconfig.json):
 *   npx tsx tools/workspace-plugin/src/generators/service/write-asyncapi.ts <workspaceRoot> <name>
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const [rootArg, name] = process.argv.slice(2);
  if (!rootArg || !name || !/^[a-z][a-z0-9-]*$/.test(name)) throw new Error('usage: write-asyncapi.ts <workspaceRoot> <service-name>');
  const root = resolve(rootArg);
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const contracts = (await import(join(root, 'libs', name, 'contracts/src/index.ts'))) as Record<string, unknown>;
  const document = contracts[`${camel}AsyncApi`];
  if (typeof document !== 'function') throw new Error(`libs/${name}/contracts exports no ${camel}AsyncApi()`);
  const file = join(root, 'services', name, 'asyncapi.json');
  writeFileSync(file, `${JSON.stringify(document(), null, 2)}\n`);
  console.log(`written services/${name}/asyncapi.json`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
