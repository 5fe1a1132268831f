import { spawn } from 'node:child_process';
import { cpuBetween, groupsTotal, sampleCpu } from './cpu-accounting';

const spin = (ms: number) => {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  return x;
};

describe('CPU accounting from /proc', () => {
  it('counts this process under `self`, and not under a command-line group that also matches it', () => {
    const groups = { self: 'self', node: /node/ } as const;
    const from = sampleCpu(groups);
    spin(300);
    const spent = cpuBetween(from, sampleCpu(groups));
    expect(spent.groups['self']).toBeGreaterThanOrEqual(0.2);
    expect(spent.groups['self']).toBeLessThanOrEqual(spent.wallS + 0.05);
    expect(spent.machine).toBeGreaterThanOrEqual(spent.groups['self']! - 0.02);
  });

  it('sums the processes whose command line matches, and nothing for a group that matches none', async () => {
    const marker = `cpu-accounting-${process.pid}`;
    const child = spawn(process.execPath, ['-e', `const u=Date.now()+400;let x=0;while(Date.now()<u)x++;`, marker]);
    const groups = { child: new RegExp(marker), nobody: /no-such-process-\d{40}/ };
    const from = sampleCpu(groups);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const spent = cpuBetween(from, sampleCpu(groups));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(spent.groups['child']).toBeGreaterThanOrEqual(0.1);
    expect(spent.groups['nobody']).toBe(0);
    expect(groupsTotal(spent)).toBe(spent.groups['child']);
  });
});
