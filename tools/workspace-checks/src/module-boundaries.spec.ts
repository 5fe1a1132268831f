import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/*
 * The boundary rules must bite: deliberate violations are linted as if they were files of real
 * projects (the rule maps a path to its project by folder) and must be rejected.
 */
const workspaceRoot = join(__dirname, '../../..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

// ESLint runs in a child process: its flat config is an ES module, which jest's VM cannot import.
function lint(path: string, code: string): string[] {
  const run = spawnSync(
    process.execPath,
    [join(workspaceRoot, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(workspaceRoot, path), '--format', 'json'],
    { cwd: workspaceRoot, input: code, encoding: 'utf8' },
  );
  if (!run.stdout) throw new Error(`eslint produced no report: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it('rejects an I/O library in pure code (domain, contracts)', () => {
    const domain = lint('libs/delegation/domain/src/lib/violation.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n");
    expect(domain.join('\n')).toMatch(/type:domain" is not allowed to import "kafkajs"/);
    const contracts = lint('libs/messaging/contracts/src/lib/violation.ts', "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
    expect(contracts.join('\n')).toMatch(/type:contracts" is not allowed to import "mongoose"/);
  });

  it('rejects a domain library that reaches into infrastructure', () => {
    const messages = lint('libs/delegation/domain/src/lib/violation.ts', "import { SqliteEventStore } from '@leadership/event-store';\nexport const s = SqliteEventStore;\n");
    expect(messages.join('\n')).toMatch(/type:domain.*can only depend on libs tagged with/s);
  });

  it('rejects production code that imports the testing library, but lets its tests use it', () => {
    const production = lint('libs/mongo-kit/src/lib/violation.ts', "import { testInfra } from '@leadership/testing';\nexport const x = testInfra;\n");
    expect(production.join('\n')).toMatch(/type:infrastructure.*can only depend on libs tagged with/s);
    expect(lint('libs/mongo-kit/src/lib/violation.spec.ts', "import { testInfra } from '@leadership/testing';\nexport const x = testInfra;\n")).toEqual([]);
  });

  it('accepts legal imports', () => {
    expect(lint('libs/event-store/src/lib/legal.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n")).toEqual([]);
    expect(lint('libs/delegation/application/src/lib/legal.ts', "import { decideMandate } from '@leadership/delegation-domain';\nexport const d = decideMandate;\n")).toEqual([]);
  });
});
