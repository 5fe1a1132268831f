import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * The platform keeps one definition of each shared building block (issue #7): a second copy
 * would drift. This reads every production TypeScript file of libs/ and services/ and finds
 * where each is defined; specs, benchmarks and generator templates are not production code.
 */
const workspaceRoot = join(__dirname, '../../..');

function productionFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.') || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'bench' && entry !== 'int' && entry !== 'test') productionFiles(path, found);
    } else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && !entry.endsWith('.bench.ts')) {
      found.push(path);
    }
  }
  return found;
}

const sources = [...productionFiles(join(workspaceRoot, 'libs')), ...productionFiles(join(workspaceRoot, 'services'))].map((file) => ({
  file: relative(workspaceRoot, file),
  // Code only: a comment that describes a definition is not one.
  text: readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, ''),
}));

/** Files whose text defines `what` (a regular expression over the source). */
function definitionsOf(what: RegExp): string[] {
  return sources.filter((s) => what.test(s.text)).map((s) => s.file);
}

/**
 * A function defined under `name` — `function name` or `const name = (…) =>` / `= function` — not a
 * local variable that happens to share the name (e.g. `for (const streamName of …)`).
 */
function definition(name: string): RegExp {
  return new RegExp(`(function ${name}\\b|const ${name}\\s*=\\s*(async\\s+)?(\\(|<|function\\b))`);
}

describe('one definition of each shared building block', () => {
  it.each([
    ['Decider', /export interface Decider</, 'libs/kernel/src/lib/decider.ts'],
    ['DomainRuleError', /class DomainRuleError\b/, 'libs/kernel/src/lib/decider.ts'],
    ['DeciderSpecification', /(const|function|class) DeciderSpecification\b/, 'libs/kernel/src/testing/decider-specification.ts'],
    ['streamName', definition('streamName'), 'libs/kernel/src/lib/stream-name.ts'],
    ['categoryOf', definition('categoryOf'), 'libs/kernel/src/lib/stream-name.ts'],
    ['idOf', definition('idOf'), 'libs/kernel/src/lib/stream-name.ts'],
    ['deterministicId', definition('deterministicId'), 'libs/kernel/src/lib/command-context.ts'],
    ['the authority evaluator', definition('evaluateAuthority'), 'libs/authority-evaluation/src/lib/evaluate-authority.ts'],
    ['the revision guard', definition('applyIfNewer'), 'libs/projection/src/lib/apply-if-newer.ts'],
    ['readAggregate', definition('readAggregate'), 'libs/event-store/src/lib/aggregate-reader.ts'],
    ['the event-store factory', definition('openEventStore'), 'libs/platform/runtime/src/lib/open-event-store.ts'],
  ])('%s is defined once', (_name, pattern, where) => {
    expect(definitionsOf(pattern)).toEqual([where]);
  });

  it('tells a definition from a local variable of the same name', () => {
    expect(['export function idOf(s: string)', 'export const idOf = (s: string) =>', 'const idOf = async (s) =>', 'const idOf = function (s) {'].every((text) => definition('idOf').test(text))).toBe(true);
    expect(['for (const idOf of ids)', 'const idOf = ids[0];', 'idOf(streamName)'].some((text) => definition('idOf').test(text))).toBe(false);
  });

  it('has no second revision guard written as a filtered update on a revision or version field', () => {
    // The guard's shape: an update filtered by `{ <revision|version|position>: { $lt: … } }`.
    const guards = sources.filter((s) => /(revision|version|position)['"]?\s*:\s*\{\s*\$lt\s*:/.test(s.text) || /\[field\]\s*:\s*\{\s*\$lt/.test(s.text)).map((s) => s.file);
    expect(guards).toEqual(['libs/projection/src/lib/apply-if-newer.ts']);
  });

  it('folds stored events only through the aggregate reader (no casts of recorded events into domain events)', () => {
    // The pattern the reader replaced: `({ type: e.type, data: e.data }) as SomeEvent`.
    const casts = sources.filter((s) => /\{\s*type:\s*\w+\.type,\s*data:\s*\w+\.data\s*\}\)?\s*as\s+\w*Event\b/.test(s.text)).map((s) => s.file);
    expect(casts).toEqual(['libs/event-store/src/lib/aggregate-reader.ts']);
  });
});
