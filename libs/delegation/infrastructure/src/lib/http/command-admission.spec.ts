import { ProblemException } from '@leadership/platform-nest';
import type { ProjectorStatus } from '@leadership/projection';
import type { DelegationParts } from '../delegation-parts';
import { delegationHttpPorts } from './delegation-http.ports';

/*
 * Admission of mandate commands: taken at the pace the read model follows, so authority answers
 * stay within the freshness bound under load; still taken while the read model is down (the event
 * store keeps them, reads refuse).
 */
function world(projector: { state: ProjectorStatus['state']; lagMs: number; catchesUp: boolean }) {
  const ran: string[] = [];
  const waited: number[] = [];
  const status = async (): Promise<ProjectorStatus> => ({
    name: 'read-model',
    state: projector.state,
    appliedPosition: 10n,
    headPosition: 40n,
    lagEvents: projector.lagMs > 0 ? 30 : 0,
    lagMs: projector.lagMs,
    parked: 0,
    lastError: undefined,
  });
  const handler = (name: string) => ({ execute: async () => void ran.push(name) });
  const parts = {
    facts: {},
    queries: {},
    store: {},
    now: () => new Date('2026-03-02T08:00:00.000Z'),
    projector: {
      status,
      catchUp: async (timeoutMs: number) => {
        waited.push(timeoutMs);
        return projector.catchesUp;
      },
    },
    mandates: { propose: handler('propose'), revoke: handler('revoke'), activate: handler('activate'), expire: handler('expire'), flagForReconfirmation: handler('flag') },
    directory: {},
  } as unknown as DelegationParts;
  const ports = delegationHttpPorts(parts, { freshnessBoundMs: 1000 });
  const commands = ports.mandates.commands as unknown as Record<string, { execute(): Promise<void> }>;
  return { ran, waited, run: (name: string) => commands[name]?.execute() };
}

describe('mandate command admission', () => {
  it('takes a command at once while the read model is within half the bound', async () => {
    const w = world({ state: 'running', lagMs: 300, catchesUp: false });
    await w.run('propose');
    expect(w.ran).toEqual(['propose']);
    expect(w.waited).toEqual([]);
  });

  it('waits for the read model to catch up when it is further behind, then runs the command', async () => {
    const w = world({ state: 'running', lagMs: 900, catchesUp: true });
    await w.run('revoke');
    expect(w.waited).toEqual([1000]);
    expect(w.ran).toEqual(['revoke']);
  });

  it('refuses with 503 and Retry-After when the read model cannot catch up within the bound, running nothing', async () => {
    const w = world({ state: 'running', lagMs: 5000, catchesUp: false });
    const refused = await w.run('propose')?.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem.status).toBe(503);
    expect((refused as ProblemException).headers).toEqual({ 'Retry-After': '1' });
    expect(w.ran).toEqual([]);
  });

  it('takes commands while the read model is down (the event store keeps them; reads refuse until it has them)', async () => {
    const w = world({ state: 'retrying', lagMs: 60_000, catchesUp: false });
    await w.run('revoke');
    expect(w.ran).toEqual(['revoke']);
  });
});
