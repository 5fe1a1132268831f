import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInfraConfig, type InfraConfig } from './config';
import { down, pidFile, status, up } from './local-infra';
import { isPortOpen, readPidFile } from './process';

/*
 * The lifecycle of `npm run infra` on a component of its own (Mailpit on spare ports, its own
 * run/log/data folders, the shared build cache): idempotent up, restart of what died, down that
 * stops only what it started, and a foreign server on the port used but never stopped.
 */
describe('local infrastructure lifecycle', () => {
  const base = loadInfraConfig();
  const scratch = mkdtempSync(join(tmpdir(), 'local-infra-'));
  const configFor = (name: string, smtp: number, http: number): InfraConfig => ({
    ...base,
    paths: { ...base.paths, run: join(scratch, name, 'run'), logs: join(scratch, name, 'logs'), data: join(scratch, name, 'data') },
    ports: { ...base.ports, smtp, mailpitHttp: http },
  });
  const ours = configFor('ours', 21_025, 28_025);
  const other = configFor('other', 21_025, 28_025);

  afterAll(async () => {
    await down(ours, ['mailpit']);
    await down(other, ['mailpit']);
  });

  it('starts, reuses, restarts what died, and stops only its own processes', async () => {
    const [first] = await up(ours, ['mailpit']);
    expect(first).toMatchObject({ name: 'mailpit', action: 'started', status: { state: 'running' } });
    const [again] = await up(ours, ['mailpit']);
    expect(again).toMatchObject({ action: 'reused' });
    expect(again?.status).toEqual(first?.status);

    // A second checkout (other run folder) finds the server answering and uses it as external.
    const [foreign] = await up(other, ['mailpit']);
    expect(foreign).toMatchObject({ action: 'external', status: { state: 'external' } });
    await expect(down(other, ['mailpit'])).resolves.toEqual([{ name: 'mailpit', result: 'not-running' }]);
    expect(await isPortOpen(ours.host, ours.ports.mailpitHttp)).toBe(true);

    // Killed behind our back: the next up starts it again.
    const record = readPidFile(pidFile(ours, 'mailpit'));
    process.kill(record!.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const [restarted] = await up(ours, ['mailpit']);
    expect(restarted).toMatchObject({ action: 'started' });
    expect(restarted?.status).not.toEqual(first?.status);

    await expect(down(ours, ['mailpit'])).resolves.toEqual([{ name: 'mailpit', result: 'stopped' }]);
    expect(await isPortOpen(ours.host, ours.ports.mailpitHttp)).toBe(false);
    const [after] = await status(ours, ['mailpit']);
    expect(after?.status).toEqual({ state: 'stopped' });
  });

  it('reports a port held by something that is not the component instead of fighting it', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer(() => undefined);
    await new Promise<void>((r) => squatter.listen(28_026, '127.0.0.1', () => r()));
    try {
      await expect(up(configFor('squatted', 21_026, 28_026), ['mailpit'])).rejects.toThrow(/port 127\.0\.0\.1:28026 is taken/);
    } finally {
      squatter.close();
    }
  });
});
