import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { down, loadInfraConfig, pidFile, up, type InfraConfig } from '@leadership/local-infra';

/** Where and how to run a Kafka of a test's own. */
export interface DedicatedKafkaOptions {
  /** Folder name under `<local home>/dedicated/`; one data directory per name. Default `kafka`. */
  readonly name?: string;
  /** Default 19092. A fixed port per name: a change of ports reformats the storage (slow). */
  readonly port?: number;
  /** Default port + 1. */
  readonly controllerPort?: number;
  /** JVM heap; default 384m (the test broker carries little data). */
  readonly heap?: string;
}

/** A Kafka broker that one test may stop and start without disturbing the shared one. */
export interface DedicatedKafka {
  readonly brokers: readonly string[];
  /** Starts it (or finds it running) and waits until it answers a metadata request. */
  start(): Promise<void>;
  /**
   * Stops it. `SIGTERM` (default) is a controlled shutdown; `SIGKILL` an abrupt crash, which
   * also proves nothing depends on a clean shutdown.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Whether a dedicated Kafka can run here: it is a local Java process (also when the shared
 * harness runs containers), so it needs Java 17+. Returns the reason when it cannot.
 */
export function dedicatedKafkaSupport(): { readonly supported: boolean; readonly reason?: string } {
  const java = process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin/java') : 'java';
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  return probe.status === 0
    ? { supported: true }
    : { supported: false, reason: `no Java found (${java}); a dedicated Kafka runs as a local Java 17 process` };
}

/**
 * A second local Kafka on its own ports and data directory, sharing the jars of the shared
 * infrastructure (LEADERSHIP_KAFKA_JARS), so a test can kill the broker while other suites keep
 * using the one on 9092. Started by this call; the caller stops it in afterAll.
 */
export async function startDedicatedKafka(options: DedicatedKafkaOptions = {}): Promise<DedicatedKafka> {
  const shared = loadInfraConfig();
  const port = options.port ?? 19092;
  const config: InfraConfig = loadInfraConfig({
    ...process.env,
    LEADERSHIP_LOCAL_HOME: join(shared.paths.home, 'dedicated', options.name ?? 'kafka'),
    LEADERSHIP_KAFKA_JARS: shared.paths.kafkaJars ?? join(shared.paths.home, 'kafka', 'libs'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(options.controllerPort ?? port + 1),
    KAFKA_HEAP: options.heap ?? '384m',
  });
  const log = (line: string) => process.stderr.write(`dedicated ${line}\n`);
  const kafka: DedicatedKafka = {
    brokers: [`${config.host}:${config.ports.kafka}`],
    async start() {
      await up(config, ['kafka'], log);
    },
    async stop(signal = 'SIGTERM') {
      if (signal === 'SIGKILL') killGroup(pidFile(config, 'kafka'));
      // Also after a SIGKILL: waits until the process is gone and removes its pid file.
      await down(config, ['kafka']);
    },
  };
  await kafka.start();
  return kafka;
}

function killGroup(file: string): void {
  let pid: number;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; marker: string };
    // Never signal a recycled pid: the command line must still name this broker's config.
    if (!readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes(record.marker)) return;
    pid = record.pid;
  } catch {
    return; // not running
  }
  try {
    // The broker was spawned detached, as the leader of its own process group.
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
