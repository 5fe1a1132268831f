import type { InfraConfig } from './config';

/** The three kinds of state `status` reports for a component. */
export type ComponentState =
  | { readonly state: 'running'; readonly pid: number; readonly managed: true }
  | { readonly state: 'external'; readonly managed: false }
  | { readonly state: 'stopped' };

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Appears in the process command line; guards against a recycled pid. */
  readonly marker: string;
  /** Run as this user and group (root starting a server that refuses root). */
  readonly uid?: number;
  readonly gid?: number;
  /**
   * How `down` asks it to stop. Default: SIGTERM to its whole process group. A server that
   * manages its own children (PostgreSQL) gets one signal to its leader and stops them itself.
   */
  readonly stop?: StopSpec;
}

export interface StopSpec {
  readonly signal: NodeJS.Signals;
  /** Signal only the leader (pid), not its process group. */
  readonly leaderOnly: boolean;
}

/** One piece of local infrastructure: how to install it (cached), start it and tell it is ready. */
export interface LocalComponent {
  readonly name: 'kafka' | 'postgres' | 'ferretdb' | 'mailpit';
  readonly description: string;
  /**
   * Components that must be ready before this one starts (and that stop after it). `up` of this
   * component brings them up too; `down` of one of them stops this one first.
   */
  dependsOn?(config: InfraConfig): readonly LocalComponent['name'][];
  /** Downloads or builds what is missing; a no-op when the cache is fresh. */
  install(config: InfraConfig, log: (line: string) => void): Promise<void>;
  /** One-time preparation of the data folder (e.g. Kafka storage format). */
  prepare?(config: InfraConfig, log: (line: string) => void): Promise<void>;
  launch(config: InfraConfig): LaunchSpec;
  /** A real protocol request (not just an open port). */
  ready(config: InfraConfig): Promise<boolean>;
  /** Ports it binds, checked before start so a foreign process is reported, not fought. */
  ports(config: InfraConfig): readonly number[];
  endpoints(config: InfraConfig): Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
}
