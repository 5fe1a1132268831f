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

describe('one definition of each shared building block', () => {
  it.each([
    ['Decider', /export interface Decider</, 'libs/kernel/src/lib/decider.ts'],
    ['DomainRuleError', /class DomainRuleError\b/, 'libs/kernel/src/lib/decider.ts'],
    ['DeciderSpecification', /(const|function|class) DeciderSpecification\b/, 'libs/kernel/src/testing/decider-specification.ts'],
    ['streamName', /(function|const) streamName\b/, 'libs/kernel/src/lib/stream-name.ts'],
    ['categoryOf', /(function|const) categoryOf\b/, 'libs/kernel/src/lib/stream-name.ts'],
    ['idOf', /(function|const) idOf\b/, 'libs/kernel/src/lib/stream-name.ts'],
    ['deterministicId', /(function|const) deterministicId\b/, 'libs/kernel/src/lib/command-context.ts'],
    ['the authority evaluator', /(function|const) evaluateAuthority\b/, 'libs/authority-evaluation/src/lib/evaluate-authority.ts'],
    ['the revision guard', /(function|const) applyIfNewer\b/, 'libs/projection/src/lib/apply-if-newer.ts'],
    ['readAggregate', /(function|const) readAggregate\b/, 'libs/event-store/src/lib/aggregate-reader.ts'],
    ['the event-store factory', /(function|const) openEventStore\b/, 'libs/platform/runtime/src/lib/open-event-store.ts'],
  ])('%s is defined once', (_name, pattern, where) => {
    expect(definitionsOf(pattern)).toEqual([where]);
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
