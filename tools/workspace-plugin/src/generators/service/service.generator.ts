import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import type { ServiceGeneratorSchema } from './service.schema';
import { aggregateName, nameForms, serviceName, servicePort, type NameForms } from './service-names';
import { addComposeService, addPathAliases, addToKustomization, assertFree } from './workspace-files';

/** What every template sees (`<%= name.kebab %>`, `<%= aggregate.pascal %>`, …). */
export interface TemplateVariables {
  readonly name: NameForms;
  readonly aggregate: NameForms;
  /** Plural of the aggregate for routes and topics (`line-items`), properties (`lineItems`), collections (`line_items`), prose. */
  readonly aggregates: string;
  readonly aggregatesCamel: string;
  readonly aggregatesSnake: string;
  readonly aggregatesWords: string;
  /** Stream category of the aggregate: its name without dashes (the kernel's `streamName` rule). */
  readonly category: string;
  readonly port: number;
  /** `__tmpl__` in file names is removed (it keeps templates out of tsc, ESLint and jest). */
  readonly tmpl: '';
}

export function templateVariables(options: ServiceGeneratorSchema): TemplateVariables {
  const name = serviceName(options.name);
  const aggregate = aggregateName(options.aggregate ?? 'item');
  const plural = nameForms(/(s|x|z|ch|sh)$/.test(aggregate.kebab) ? `${aggregate.kebab}es` : `${aggregate.kebab}s`);
  return {
    name,
    aggregate,
    aggregates: plural.kebab,
    aggregatesCamel: plural.camel,
    aggregatesSnake: plural.constant.toLowerCase(),
    aggregatesWords: plural.words,
    category: aggregate.kebab.replace(/-/g, ''),
    port: servicePort(options.port),
    tmpl: '',
  };
}

/**
 * `nx g @leadership/workspace:service <name> --port <port>`: a new service that follows every
 * convention of the repository — the four context libraries with an example aggregate carried
 * through all of them (decider → use cases → HTTP, read model, relay → integration event), the
 * thin composition root in services/<name>, its e2e on the real stack, Dockerfile, README and
 * AsyncAPI, the docker-compose entry and the Kubernetes manifests. Refuses names and ports in use.
 */
export async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<GeneratorCallback> {
  const variables = templateVariables(options);
  assertFree(tree, variables.name, variables.port);
  generateFiles(tree, join(__dirname, 'files'), '.', {
    ...variables,
    serviceName: variables.name.kebab,
    aggregateName: variables.aggregate.kebab,
    aggregatesName: variables.aggregates,
  });
  addPathAliases(tree, variables.name);
  addComposeService(tree, variables.name, variables.port);
  addToKustomization(tree, variables.name);
  return () => {
    if (!options.skipAsyncApi) writeAsyncApiDocument(tree.root, variables.name.kebab);
    logger.info(
      [
        `services/${variables.name.kebab} generated (port ${variables.port}). Next:`,
        `  npx nx run-many -t lint,typecheck,test -p ${variables.name.kebab} ${variables.name.kebab}-domain ${variables.name.kebab}-application ${variables.name.kebab}-infrastructure ${variables.name.kebab}-contracts`,
        `  npx nx run ${variables.name.kebab}:e2e`,
        `  npm start   (starts it with the other services)`,
      ].join('\n'),
    );
  };
}

/**
 * services/<name>/asyncapi.json is generated from the contracts themselves (the checked-in copy
 * is compared with them by the service's asyncapi.spec.ts), so it is written by running the
 * generated code once the files are on disk rather than by a second template that could drift.
 */
function writeAsyncApiDocument(root: string, name: string): void {
  const run = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'write-asyncapi.ts'), root, name], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`services/${name}/asyncapi.json could not be written (${run.stderr || run.stdout}); run \`npx tsx ${join(__dirname, 'write-asyncapi.ts')} . ${name}\` after fixing the cause`);
  }
  logger.info(run.stdout.trim());
}

export default serviceGenerator;
