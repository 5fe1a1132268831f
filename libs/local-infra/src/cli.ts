#!/usr/bin/env node
/*
 * npm run infra -- up [names…] | down [names…] | status [--json] | logs <name> [-f]
 * Real Kafka, PostgreSQL, FerretDB (on that PostgreSQL) and Mailpit as local processes, for
 * machines without a container runtime.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { components, down, loadInfraConfig, logFile, status, up, type ComponentStatus } from './index';

function row(s: ComponentStatus, extra = ''): string {
  const state =
    s.status.state === 'running' ? `running (pid ${s.status.pid})` : s.status.state === 'external' ? 'up (not started by this tool)' : 'stopped';
  const where = Object.entries(s.endpoints)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${s.name.padEnd(9)} ${state.padEnd(32)} ${where}${extra}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadInfraConfig();
  const names = rest.filter((a) => !a.startsWith('-'));
  switch (command) {
    case 'up': {
      const t0 = Date.now();
      const results = await up(config, names, (l) => console.log(l));
      for (const r of results) console.log(row(r, `  [${r.action} in ${(r.ms / 1000).toFixed(1)} s]`));
      console.log(`infrastructure up in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${config.paths.logs}`);
      return 0;
    }
    case 'down': {
      for (const r of await down(config, names)) console.log(`${r.name.padEnd(9)} ${r.result}`);
      return 0;
    }
    case 'status': {
      const all = await status(config, names);
      if (rest.includes('--json')) console.log(JSON.stringify(all, null, 2));
      else for (const s of all) console.log(row(s));
      return all.every((s) => s.status.state !== 'stopped') ? 0 : 3;
    }
    case 'logs': {
      const name = names[0];
      const component = components.find((c) => c.name === name);
      if (!component) {
        console.error(`usage: npm run infra -- logs <${components.map((c) => c.name).join('|')}> [-f]`);
        return 2;
      }
      const file = logFile(config, component.name);
      if (!existsSync(file)) {
        console.error(`no log yet at ${file}; has ${component.name} been started?`);
        return 1;
      }
      const args = rest.includes('-f') ? ['-n', '200', '-F', file] : ['-n', '200', file];
      return new Promise((resolve) => spawn('tail', args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 0)));
    }
    default:
      console.error(`usage: npm run infra -- up [${components.map((c) => c.name).join('|')}…] | down [names…] | status [--json] | logs <name> [-f]`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
