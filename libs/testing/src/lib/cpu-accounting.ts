import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by process group, read from /proc (Linux), for benchmarks that must say where a
 * machine's CPU went: a rate on a machine whose cores are full is a CPU budget, and the budget
 * is shared with the infrastructure the candidate talks to (broker, database, SMTP server).
 *
 * A group is a test on a process's command line (or `self`). A process that exits between two
 * samples takes its CPU with it, so groups suit long-lived servers and the bench's own process.
 */
export type CpuGroups = Readonly<Record<string, RegExp | 'self'>>;

export interface CpuSample {
  readonly wallMs: number;
  /** Seconds of CPU (user + system) used so far, per group. */
  readonly groups: Readonly<Record<string, number>>;
  /** Seconds of CPU used so far by the whole machine (every process and the kernel), and the core count. */
  readonly machine: number;
}

export interface CpuSpent {
  readonly wallS: number;
  /** CPU seconds per group between the samples. */
  readonly groups: Readonly<Record<string, number>>;
  /** CPU seconds of the whole machine between the samples: the groups, other processes, the kernel's own work (writeback, interrupts). */
  readonly machine: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux ABI Node ships for.

function processTicks(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
}

function machineTicks(): number {
  const [, ...values] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

/** Whether this machine has the /proc the samples read (Linux); elsewhere every figure reads 0. */
export function cpuAccountingSupported(): boolean {
  return existsSync('/proc/stat');
}

export function sampleCpu(groups: CpuGroups): CpuSample {
  if (!cpuAccountingSupported()) return { wallMs: performance.now(), groups: Object.fromEntries(Object.keys(groups).map((name) => [name, 0])), machine: 0 };
  const ticks: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const self = Number(pid) === process.pid;
      const group = Object.entries(groups).find(([, test]) => (test === 'self' ? self : !self && test.test(cmdline)))?.[0];
      if (group) ticks[group] = (ticks[group] ?? 0) + processTicks(pid);
    } catch {
      // The process ended while the table was read.
    }
  }
  return {
    wallMs: performance.now(),
    groups: Object.fromEntries(Object.entries(ticks).map(([name, t]) => [name, t / TICKS_PER_SECOND])),
    machine: machineTicks() / TICKS_PER_SECOND,
  };
}

export function cpuBetween(from: CpuSample, to: CpuSample): CpuSpent {
  return {
    wallS: (to.wallMs - from.wallMs) / 1_000,
    groups: Object.fromEntries(Object.keys(to.groups).map((name) => [name, (to.groups[name] ?? 0) - (from.groups[name] ?? 0)])),
    machine: to.machine - from.machine,
  };
}

/** Sum of the groups' CPU seconds. */
export function groupsTotal(spent: CpuSpent): number {
  return Object.values(spent.groups).reduce((sum, s) => sum + s, 0);
}
