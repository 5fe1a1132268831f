import type { Kafka } from 'kafkajs';

/** A record as kafkajs sends it (what `encodeCloudEvent` returns). */
export interface StandInRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A running stand-in for a relay's progress reports. */
export interface RelayProgressStandIn {
  /** Stops reporting (a stopped relay, as consumers see it) until `resume`. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Reports progress as a relay does — `report(now)` every `everyMs`, each acknowledged (acks=all)
 * before the next — for suites that publish the delegation events **themselves** instead of
 * running a delegation service (e.g. `encodeCloudEvent(DelegationRelayProgress, …)` with
 * `coveredUntil: now`). Such a report vouches for the moment it was made, which is true only
 * because the suite awaits the brokers' acknowledgement of every event it publishes. The topic
 * must exist (the suite declares it, e.g. with DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG). Use a
 * broker of the suite's own: reports on a shared broker reach every suite's authority consumers.
 */
export async function startRelayProgressStandIn(kafka: Kafka, report: (now: Date) => StandInRecord, { everyMs = 100 }: { everyMs?: number } = {}): Promise<RelayProgressStandIn> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let paused = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    sending = (async () => {
      if (paused) return;
      const record = report(new Date());
      await producer.send({ topic: record.topic, acks: -1, messages: [{ key: record.key, value: record.value, headers: { ...record.headers } }] }).catch(() => undefined);
    })().finally(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  tick();
  return {
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await sending;
      await producer.disconnect().catch(() => undefined);
    },
  };
}
