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
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it('rejects an I/O library in pure code (domain, contracts)', () => {
    const domain = lint('libs/delegation/domain/src/lib/violation.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n");
    expect(domain.join('\n')).toMatch(/type:domain" is not allowed to import "kafkajs"/);
    const contracts = lint('libs/messaging/contracts/src/lib/violation.ts', "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
    expect(contracts.join('\n')).toMatch(/type:contracts" is not allowed to import "mongoose"/);
  });

  it('rejects a domain library that reaches into infrastructure or the event-store port', () => {
    const adapter = lint('libs/delegation/domain/src/lib/violation.ts', "import { SqliteEventStore } from '@leadership/event-store-adapters';\nexport const s = SqliteEventStore;\n");
    expect(adapter.join('\n')).toMatch(/type:domain.*can only depend on libs tagged with/s);
    const port = lint('libs/delegation/domain/src/lib/violation.ts', "import { handleCommand } from '@leadership/event-store';\nexport const h = handleCommand;\n");
    expect(port.join('\n')).toMatch(/type:domain.*can only depend on libs tagged with/s);
  });

  it('rejects platform modules and mongoose in pure code (domain, kernel)', () => {
    for (const module of ['node:crypto', 'crypto', 'node:os', 'node:fs']) {
      const messages = lint('libs/delegation/domain/src/lib/violation.ts', `import * as m from '${module}';\nexport const x = m;\n`);
      expect(messages.join('\n')).toMatch(/pure code \(domain, kernel, contracts\) has no I\/O or platform modules/);
    }
    const mongoose = lint('libs/delegation/domain/src/lib/violation.ts', "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
    expect(mongoose.join('\n')).toMatch(/type:domain" is not allowed to import "mongoose"/);
    const kernel = lint('libs/kernel/src/lib/violation.ts', "import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;\n");
    expect(kernel.join('\n')).toMatch(/has no I\/O or platform modules/);
    // Its specs may compare against node:crypto.
    expect(lint('libs/kernel/src/lib/legal.spec.ts', "import { createHash } from 'node:crypto';\nexport const h = createHash;\n")).toEqual([]);
  });

  it('rejects application code that imports an event-store adapter, but not the port', () => {
    const adapter = lint('libs/delegation/application/src/lib/violation.ts', "import { SqliteEventStore } from '@leadership/event-store-adapters';\nexport const s = SqliteEventStore;\n");
    expect(adapter.join('\n')).toMatch(/type:application.*can only depend on libs tagged with/s);
    const io = lint('libs/delegation/application/src/lib/violation.ts', "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
    expect(io.join('\n')).toMatch(/type:application" is not allowed to import "mongoose"/);
    expect(lint('libs/delegation/application/src/lib/legal.ts', "import { handleCommand } from '@leadership/event-store';\nexport const h = handleCommand;\n")).toEqual([]);
  });

  it('rejects the event-store port importing an engine', () => {
    const messages = lint('libs/event-store/src/lib/violation.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n");
    expect(messages.join('\n')).toMatch(/type:port" is not allowed to import "better-sqlite3"/);
  });

  it("rejects one context importing another context's internals, but allows its contracts", () => {
    // The authority library (scope:shared) stands in for any other context here; a second
    // bounded context's libraries are checked the same way by their scope:* tag.
    const internals = lint('libs/authority/src/lib/violation.ts', "import { MandateUseCases } from '@leadership/delegation-application';\nexport const m = MandateUseCases;\n");
    expect(internals.join('\n')).toMatch(/scope:shared.*can only depend on libs tagged with/s);
    const domain = lint('libs/authority/src/lib/violation.ts', "import { mandateDecider } from '@leadership/delegation-domain';\nexport const m = mandateDecider;\n");
    expect(domain.join('\n')).toMatch(/can only depend on libs tagged with/s);
    expect(lint('libs/authority/src/lib/legal.ts', "import { MANDATES_TOPIC } from '@leadership/delegation-contracts';\nexport const t = MANDATES_TOPIC;\n")).toEqual([]);
  });

  it('rejects production code that imports the testing library, but lets its tests use it', () => {
    const production = lint('libs/projection/src/lib/violation.ts', "import { testInfra } from '@leadership/testing';\nexport const x = testInfra;\n");
    expect(production.join('\n')).toMatch(/type:infrastructure.*can only depend on libs tagged with/s);
    expect(lint('libs/projection/src/lib/violation.spec.ts', "import { testInfra } from '@leadership/testing';\nexport const x = testInfra;\n")).toEqual([]);
  });

  it('accepts legal imports', () => {
    expect(lint('libs/event-store/adapters/src/lib/legal.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n")).toEqual([]);
    expect(lint('libs/delegation/application/src/lib/legal.ts', "import { decideMandate } from '@leadership/delegation-domain';\nexport const d = decideMandate;\n")).toEqual([]);
  });
});
