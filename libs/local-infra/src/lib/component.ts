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
}

/** One piece of local infrastructure: how to install it (cached), start it and tell it is ready. */
export interface LocalComponent {
  readonly name: 'kafka' | 'ferretdb' | 'mailpit';
  readonly description: string;
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
