import { readJson, updateJson, type Tree } from '@nx/devkit';
import { parseDocument } from 'yaml';
import { ServiceGeneratorError, type NameForms } from './service-names';

export const COMPOSE_FILE = 'docker-compose.yml';
export const KUSTOMIZATION_FILE = 'deploy/kubernetes/kustomization.yaml';
export const LAYERS = ['domain', 'application', 'infrastructure', 'contracts'] as const;

/** `@leadership/<name>-<layer>` → `libs/<name>/<layer>/src/index.ts`, in the order tsconfig.base.json keeps (sorted). */
export function addPathAliases(tree: Tree, name: NameForms): void {
  updateJson(tree, 'tsconfig.base.json', (tsconfig: { compilerOptions: { paths?: Record<string, string[]> } }) => {
    const paths = { ...(tsconfig.compilerOptions.paths ?? {}) };
    for (const layer of LAYERS) paths[`@leadership/${name.kebab}-${layer}`] = [`libs/${name.kebab}/${layer}/src/index.ts`];
    tsconfig.compilerOptions.paths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
    return tsconfig;
  });
}

/** Ports in `metadata.port` of the existing services, by service name. */
export function servicePorts(tree: Tree): Map<number, string> {
  const ports = new Map<number, string>();
  if (!tree.exists('services')) return ports;
  for (const dir of tree.children('services')) {
    const file = `services/${dir}/project.json`;
    if (!tree.exists(file)) continue;
    const port = readJson<{ metadata?: { port?: unknown } }>(tree, file).metadata?.port;
    if (typeof port === 'number') ports.set(port, dir);
  }
  return ports;
}

/** Refuses a name or port that is taken, before anything is written. */
export function assertFree(tree: Tree, name: NameForms, port: number): void {
  for (const path of [`services/${name.kebab}`, `libs/${name.kebab}`, `deploy/kubernetes/${name.kebab}`]) {
    if (tree.exists(path)) throw new ServiceGeneratorError(`${path} already exists: a service "${name.kebab}" is there already; choose another name`);
  }
  const paths = readJson<{ compilerOptions?: { paths?: Record<string, unknown> } }>(tree, 'tsconfig.base.json').compilerOptions?.paths ?? {};
  const taken = LAYERS.map((layer) => `@leadership/${name.kebab}-${layer}`).find((alias) => alias in paths);
  if (taken) throw new ServiceGeneratorError(`the import path ${taken} is already in tsconfig.base.json; choose another name`);
  const owner = servicePorts(tree).get(port);
  if (owner !== undefined) throw new ServiceGeneratorError(`port ${port} is already used by services/${owner} (project.json metadata.port); choose a free port`);
  if (tree.exists(COMPOSE_FILE)) {
    const compose = parseYaml(tree.read(COMPOSE_FILE, 'utf-8') ?? '', COMPOSE_FILE) as { services?: Record<string, unknown> } | null;
    if (compose?.services && name.kebab in compose.services) throw new ServiceGeneratorError(`${COMPOSE_FILE} has a service "${name.kebab}" already; choose another name`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ServiceGeneratorError(`${file} is not valid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
  return document.toJSON() as unknown;
}

/**
 * Inserts `block` into a YAML file as text right after the last line of the top-level mapping
 * `key` (its entries are the indented lines that follow it). Text insertion instead of parse and
 * re-emit keeps every comment and the hand-made layout of the file; the result is parsed again
 * and `check` must find the new entry, so a file whose layout the insertion does not understand
 * fails the generator instead of being corrupted.
 */
function insertIntoTopLevelBlock(tree: Tree, file: string, key: string, block: string, check: (parsed: unknown) => boolean): void {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new ServiceGeneratorError(`${file} is missing`);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `${key}:`);
  if (start === -1) throw new ServiceGeneratorError(`${file} has no top-level "${key}:" to add the service to`);
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.startsWith(' ') || line.startsWith('#')) {
      if (line.startsWith(' ')) end = i;
      continue;
    }
    break;
  }
  const updated = [...lines.slice(0, end + 1), ...block.replace(/\n$/, '').split('\n'), ...lines.slice(end + 1)].join('\n');
  if (!check(parseYaml(updated, file))) throw new ServiceGeneratorError(`${file}: the inserted entry is not where it belongs; add it by hand`);
  tree.write(file, updated);
}

/** The service in docker-compose.yml (built from its Dockerfile), modelled on the delegation entry, and its data volume. */
export function addComposeService(tree: Tree, name: NameForms, port: number): void {
  if (!tree.exists(COMPOSE_FILE)) return;
  const n = name.kebab;
  const service = `
  ${n}:
    build:
      context: .
      dockerfile: services/${n}/Dockerfile
    image: leadership/${n}:local
    ports: ["127.0.0.1:${port}:${port}"]
    environment:
      # The delegation service's dev issuer key (read-only): one token from
      # \`docker compose exec delegation node dist/tools/scripts/token.js …\` works for every service.
      NODE_ENV: development
      AUTH_MODE: dev
      AUTH_DEV_KEY_FILE: /var/lib/delegation/auth/dev-issuer.json
      HOST: 0.0.0.0
      PORT: "${port}"
      MONGO_URI: mongodb://mongo:27017/?replicaSet=rs0
      KAFKA_BROKERS: kafka:29092
      EVENTSTORE_CONNECTION_STRING: esdb://eventstoredb:2113?tls=false
    volumes: ["${n}-data:/var/lib/${n}", "delegation-data:/var/lib/delegation:ro"]
    depends_on:
      kafka: { condition: service_healthy }
      mongo: { condition: service_healthy }
      eventstoredb: { condition: service_healthy }
      # Its dev issuer key, and the mandates the authority projection reads from Kafka.
      delegation: { condition: service_healthy }
    restart: unless-stopped
    stop_grace_period: 20s`;
  insertIntoTopLevelBlock(tree, COMPOSE_FILE, 'services', service, (parsed) => {
    const services = (parsed as { services?: Record<string, { ports?: unknown }> }).services;
    return JSON.stringify(services?.[n]?.ports) === JSON.stringify([`127.0.0.1:${port}:${port}`]);
  });
  insertIntoTopLevelBlock(tree, COMPOSE_FILE, 'volumes', `  ${n}-data:`, (parsed) => {
    const volumes = (parsed as { volumes?: Record<string, unknown> }).volumes;
    return volumes !== undefined && `${n}-data` in volumes;
  });
}

/** Adds `deploy/kubernetes/<name>` to the kustomization that lists the services. */
export function addToKustomization(tree: Tree, name: NameForms): void {
  if (!tree.exists(KUSTOMIZATION_FILE)) return;
  insertIntoTopLevelBlock(tree, KUSTOMIZATION_FILE, 'resources', `  - ${name.kebab}`, (parsed) => {
    const resources = (parsed as { resources?: unknown }).resources;
    return Array.isArray(resources) && resources.includes(name.kebab);
  });
}
