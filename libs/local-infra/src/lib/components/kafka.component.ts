import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { inputsHash, isFresh, writeStamp } from '../build-cache';
import type { InfraConfig } from '../config';
import type { LocalComponent } from '../component';
import { execFileAsync } from '../process';

/*
 * Apache Kafka 4.x, KRaft, one process that is both broker and controller. Jars come from Maven
 * Central through libs/local-infra/assets/kafka/pom.xml; the storage is formatted once with
 * `--standalone` (dynamic quorum of one voter).
 */
const kafkaDir = (c: InfraConfig) => join(c.paths.home, 'kafka');
const libsDir = (c: InfraConfig) => c.paths.kafkaJars ?? join(kafkaDir(c), 'libs');
const dataDir = (c: InfraConfig) => join(c.paths.data, 'kafka');
const javaBin = () => (process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin/java') : 'java');

function serverProperties(c: InfraConfig): string {
  const { host, ports } = c;
  return [
    '# Written by `npm run infra -- up`; edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${host}:${ports.kafkaController}`,
    `listeners=PLAINTEXT://${host}:${ports.kafka},CONTROLLER://${host}:${ports.kafkaController}`,
    `advertised.listeners=PLAINTEXT://${host}:${ports.kafka}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir(c)}`,
    'num.partitions=3',
    // A single node cannot hold three replicas of the internal topics.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests create many short-lived groups; do not wait 3 s before the first rebalance.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'log.retention.hours=168',
    'log.segment.bytes=67108864',
    '',
  ].join('\n');
}

const log4j2 = [
  'status = warn',
  'appender.console.type = Console',
  'appender.console.name = STDOUT',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = info',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.state.name = state.change.logger',
  'logger.state.level = warn',
  '',
].join('\n');

export const kafkaComponent: LocalComponent = {
  name: 'kafka',
  description: 'Apache Kafka 4.1 (KRaft, broker+controller)',
  startTimeoutMs: 90_000,

  async install(c, log) {
    const pom = join(c.paths.assets, 'kafka/pom.xml');
    const hash = inputsHash([pom]);
    // Beside the jars (not in this home) so homes sharing the jars share their freshness too.
    const stamp = `${libsDir(c)}.stamp`;
    if (isFresh(stamp, hash, [libsDir(c)])) return;
    log('kafka: resolving jars from Maven Central (mvn dependency:copy-dependencies)…');
    rmSync(libsDir(c), { recursive: true, force: true });
    await execFileAsync(
      'mvn',
      ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libsDir(c)}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    writeStamp(stamp, hash);
  },

  async prepare(c, log) {
    mkdirSync(kafkaDir(c), { recursive: true });
    const props = serverProperties(c);
    writeFileSync(join(kafkaDir(c), 'server.properties'), props);
    writeFileSync(join(kafkaDir(c), 'log4j2.properties'), log4j2);
    // The controller endpoint is written into the metadata log at format time, so a change of
    // ports needs a fresh storage directory.
    const fingerprint = `${c.host}:${c.ports.kafka}/${c.ports.kafkaController}`;
    const fingerprintFile = join(kafkaDir(c), 'storage.fingerprint');
    const formatted = existsSync(join(dataDir(c), 'meta.properties'));
    const same = existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === fingerprint;
    if (formatted && same) return;
    log('kafka: formatting KRaft storage (once)…');
    rmSync(dataDir(c), { recursive: true, force: true });
    const cp = join(libsDir(c), '*');
    const { stdout } = await execFileAsync(javaBin(), ['-cp', cp, 'kafka.tools.StorageTool', 'random-uuid']);
    const clusterId = stdout.trim().split('\n').pop() ?? '';
    await execFileAsync(javaBin(), [
      `-Dlog4j2.configurationFile=${join(kafkaDir(c), 'log4j2.properties')}`,
      '-cp',
      cp,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '-t',
      clusterId,
      '-c',
      join(kafkaDir(c), 'server.properties'),
    ]);
    writeFileSync(fingerprintFile, fingerprint);
  },

  launch(c) {
    return {
      command: javaBin(),
      args: [
        `-Xms256m`,
        `-Xmx${c.kafkaHeap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${join(kafkaDir(c), 'log4j2.properties')}`,
        '-cp',
        join(libsDir(c), '*'),
        'kafka.Kafka',
        join(kafkaDir(c), 'server.properties'),
      ],
      cwd: kafkaDir(c),
      marker: join(kafkaDir(c), 'server.properties'),
    };
  },

  async ready(c) {
    const kafka = new Kafka({
      clientId: 'local-infra-probe',
      brokers: [`${c.host}:${c.ports.kafka}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  ports: (c) => [c.ports.kafka, c.ports.kafkaController],
  endpoints: (c) => ({ bootstrap: `${c.host}:${c.ports.kafka}` }),
};
