import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree } from 'nx/src/generators/tree';
import { parse } from 'yaml';
import { serviceGenerator } from './service.generator';
import { ServiceGeneratorError } from './service-names';
import { workspaceRoot } from './test/workspace-copy';

/** A tree over the real workspace: reads the files as they are, keeps every change in memory. */
const realTree = (): Tree => new FsTree(workspaceRoot, false);

const changed = (tree: Tree) => tree.listChanges().map((c) => c.path);
const yamlOf = (tree: Tree, path: string) => parse(tree.read(path, 'utf-8') ?? '') as Record<string, unknown>;

const LAYERS = ['domain', 'application', 'infrastructure', 'contracts'] as const;

describe('service generator on the real workspace files', () => {
  let tree: Tree;
  let before: Tree;

  beforeAll(async () => {
    before = realTree();
    tree = realTree();
    await serviceGenerator(tree, { name: 'sample-svc', port: 3099, skipAsyncApi: true });
  });

  it('writes the four context libraries, the service and its manifests, and edits only the three shared files', () => {
    const paths = changed(tree);
    const outside = paths.filter((p) => !/^(libs\/sample-svc|services\/sample-svc|deploy\/kubernetes\/sample-svc)\//.test(p) && p !== 'deploy/docker/tsconfig.sample-svc.json');
    expect(outside.sort()).toEqual(['deploy/kubernetes/kustomization.yaml', 'docker-compose.yml', 'tsconfig.base.json']);
    expect(paths).toEqual(
      expect.arrayContaining([
        'libs/sample-svc/domain/src/lib/item/item.decider.ts',
        'libs/sample-svc/domain/src/lib/item/item.decider.spec.ts',
        'libs/sample-svc/domain/src/lib/stream-names.ts',
        'libs/sample-svc/application/src/lib/item/register-item/register-item.handler.ts',
        'libs/sample-svc/application/src/lib/item/close-item/close-item.handler.spec.ts',
        'libs/sample-svc/application/src/lib/item/get-item/get-item.query.ts',
        'libs/sample-svc/contracts/src/lib/item-changed.integration-event.ts',
        'libs/sample-svc/contracts/src/lib/sample-svc.asyncapi.ts',
        'libs/sample-svc/infrastructure/src/lib/http/items.controller.ts',
        'libs/sample-svc/infrastructure/src/lib/read-model/item.read-model.ts',
        'libs/sample-svc/infrastructure/src/lib/read-model/item.read-model.int.spec.ts',
        'libs/sample-svc/infrastructure/src/lib/messaging/item.integration-events.ts',
        'services/sample-svc/src/main.ts',
        'services/sample-svc/src/sample-svc.app.ts',
        'services/sample-svc/src/sample-svc.module.ts',
        'services/sample-svc/src/sample-svc.e2e.spec.ts',
        'services/sample-svc/src/asyncapi.spec.ts',
        'services/sample-svc/Dockerfile',
        'services/sample-svc/README.md',
        'deploy/kubernetes/sample-svc/deployment.yaml',
        'deploy/kubernetes/sample-svc/kafka-topics.yaml',
        'deploy/docker/tsconfig.sample-svc.json',
      ]),
    );
    for (const layer of LAYERS) {
      for (const file of ['project.json', 'tsconfig.json', 'tsconfig.spec.json', 'jest.config.cjs', 'src/index.ts']) expect(tree.exists(`libs/sample-svc/${layer}/${file}`)).toBe(true);
    }
  });

  it('renders every template: no template syntax or placeholder left in names or contents', () => {
    for (const path of changed(tree)) {
      expect(path).not.toMatch(/__\w+__|__tmpl__/);
      expect(tree.read(path, 'utf-8')).not.toMatch(/<%|%>|__serviceName__|__aggregateName__/);
    }
  });

  it('tags every project with its scope and layer, and gives the service its port', () => {
    for (const layer of LAYERS) {
      expect(readJson(tree, `libs/sample-svc/${layer}/project.json`)).toMatchObject({ name: `sample-svc-${layer}`, tags: ['scope:sample-svc', `type:${layer}`] });
    }
    expect(readJson(tree, 'services/sample-svc/project.json')).toMatchObject({ name: 'sample-svc', tags: ['scope:sample-svc', 'type:app'], metadata: { port: 3099 } });
    expect(tree.read('libs/sample-svc/domain/jest.config.cjs', 'utf-8')).toBe("const { jestProjectConfig } = require('../../../jest.preset.cjs');\n\nmodule.exports = jestProjectConfig(__dirname);\n");
  });

  it('adds the import paths to tsconfig.base.json, sorted, keeping every other path', () => {
    const paths = readJson<{ compilerOptions: { paths: Record<string, string[]> } }>(tree, 'tsconfig.base.json').compilerOptions.paths;
    const old = readJson<{ compilerOptions: { paths: Record<string, string[]> } }>(before, 'tsconfig.base.json').compilerOptions.paths;
    for (const layer of LAYERS) expect(paths[`@leadership/sample-svc-${layer}`]).toEqual([`libs/sample-svc/${layer}/src/index.ts`]);
    expect(paths).toMatchObject(old);
    expect(Object.keys(paths)).toEqual([...Object.keys(paths)].sort((a, b) => a.localeCompare(b)));
  });

  it('adds a valid docker-compose service and volume, and leaves the other entries as they were', () => {
    const compose = yamlOf(tree, 'docker-compose.yml') as { services: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> };
    const old = yamlOf(before, 'docker-compose.yml') as typeof compose;
    expect(compose.services['sample-svc']).toMatchObject({
      build: { context: '.', dockerfile: 'services/sample-svc/Dockerfile' },
      ports: ['127.0.0.1:3099:3099'],
      environment: { PORT: '3099', AUTH_MODE: 'dev' },
    });
    expect(Object.keys(compose.volumes)).toEqual([...Object.keys(old.volumes), 'sample-svc-data']);
    for (const [name, service] of Object.entries(old.services)) expect(compose.services[name]).toEqual(service);
    // Comments of the hand-written file survive (text insertion, not parse and re-emit).
    expect(tree.read('docker-compose.yml', 'utf-8')).toContain(before.read('docker-compose.yml', 'utf-8')?.split('\n').find((l) => l.startsWith('#')) ?? '#');
  });

  it('lists the manifests in the kustomization of the services', () => {
    const kustomization = yamlOf(tree, 'deploy/kubernetes/kustomization.yaml') as { resources: string[] };
    const old = yamlOf(before, 'deploy/kubernetes/kustomization.yaml') as { resources: string[] };
    expect(kustomization.resources).toEqual([...old.resources, 'sample-svc']);
    for (const file of ['kustomization', 'deployment', 'service', 'configmap', 'serviceaccount', 'poddisruptionbudget', 'kafka-topics', 'kafka-user']) {
      expect(() => parse(tree.read(`deploy/kubernetes/sample-svc/${file}.yaml`, 'utf-8') ?? '')).not.toThrow();
    }
    // Kafka over TLS as its own SCRAM user, with ACLs on its own topics and groups.
    expect(yamlOf(tree, 'deploy/kubernetes/sample-svc/kafka-user.yaml')).toMatchObject({ kind: 'KafkaUser', metadata: { name: 'sample-svc' }, spec: { authentication: { type: 'scram-sha-512' } } });
    expect(yamlOf(tree, 'deploy/kubernetes/sample-svc/configmap.yaml')).toMatchObject({ data: { KAFKA_TLS: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'sample-svc' } });
    expect(yamlOf(tree, 'deploy/kubernetes/sample-svc/kafka-topics.yaml')).toMatchObject({ spec: { topicName: 'leadership.sample-svc.items.v1', config: { 'cleanup.policy': 'compact' } } });
  });

  it('names topic, event type and stream category after the service and aggregate', () => {
    const contract = tree.read('libs/sample-svc/contracts/src/lib/item-changed.integration-event.ts', 'utf-8');
    expect(contract).toContain("'leadership.sample-svc.items.v1'");
    expect(contract).toContain("type: 'leadership.sample-svc.item-changed.v1'");
    expect(tree.read('libs/sample-svc/domain/src/lib/stream-names.ts', 'utf-8')).toContain("ITEM_STREAM_CATEGORY = 'item'");
  });
});

describe('service generator options', () => {
  it('spells a kebab-case aggregate in every form (stream category without dashes)', async () => {
    const tree = realTree();
    await serviceGenerator(tree, { name: 'sample-rota', port: 3098, aggregate: 'shift-swap', skipAsyncApi: true });
    expect(tree.read('libs/sample-rota/domain/src/lib/stream-names.ts', 'utf-8')).toContain("SHIFT_SWAP_STREAM_CATEGORY = 'shiftswap'");
    expect(tree.exists('libs/sample-rota/application/src/lib/shift-swap/close-shift-swap/close-shift-swap.handler.ts')).toBe(true);
    expect(tree.exists('libs/sample-rota/infrastructure/src/lib/http/shift-swaps.controller.ts')).toBe(true);
    expect(tree.read('libs/sample-rota/domain/src/lib/shift-swap/shift-swap.decider.ts', 'utf-8')).toContain('export const shiftSwapDecider');
  });

  it('needs no docker-compose or kustomization (an empty workspace gets the projects only)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await serviceGenerator(tree, { name: 'onboarding', port: 3003, skipAsyncApi: true });
    expect(readJson(tree, 'services/onboarding/project.json')).toMatchObject({ tags: ['scope:onboarding', 'type:app'], metadata: { port: 3003 } });
    expect(tree.exists('docker-compose.yml')).toBe(false);
  });
});

describe('service generator refusals (nothing is written)', () => {
  const refused = async (options: { name: string; port: number; aggregate?: string }, message: RegExp) => {
    const tree = realTree();
    await expect(serviceGenerator(tree, { ...options, skipAsyncApi: true })).rejects.toThrow(ServiceGeneratorError);
    await expect(serviceGenerator(tree, { ...options, skipAsyncApi: true })).rejects.toThrow(message);
    expect(changed(tree)).toEqual([]);
  };

  it.each(['Sample', 'sample_svc', '1sample', 'sample--svc', 'sample-', '', 'a'.repeat(41)])('refuses the name "%s"', async (name) => {
    await refused({ name, port: 3099 }, /kebab-case|longer than/);
  });

  it('refuses names of shared scopes and libraries', async () => {
    await refused({ name: 'shared', port: 3099 }, /shared library or scope/);
    await refused({ name: 'kernel', port: 3099 }, /shared library or scope/);
  });

  it('refuses an existing service with a clear message', async () => {
    await refused({ name: 'delegation', port: 3099 }, /services\/delegation already exists/);
  });

  it('refuses a port another service uses, naming that service', async () => {
    await refused({ name: 'sample-svc', port: 3001 }, /port 3001 is already used by services\/delegation/);
  });

  it.each([0, 80, 70_000, 3001.5])('refuses the port %s', async (port) => {
    await refused({ name: 'sample-svc', port }, /--port .* must be an integer between 1024 and 65535/);
  });

  it('refuses a bad aggregate name', async () => {
    await refused({ name: 'sample-svc', port: 3099, aggregate: 'Shift Swap' }, /aggregate name/);
  });
});
