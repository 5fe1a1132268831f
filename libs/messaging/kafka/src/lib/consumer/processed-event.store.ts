/** Where a processed event was read from (kept with the record, for operators). */
export interface ProcessedEventDetails {
  readonly type: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * The persisted memory of which events a consumer group has handled, so that a redelivered
 * message (after a crash, a rebalance, a producer retry) has no second effect.
 */
export interface ProcessedEventStore {
  /** True when the group recorded the event as handled. */
  isProcessed(group: string, eventId: string): Promise<boolean>;
  /** Records the event as handled by the group; `duplicate` when it had been recorded before. */
  markProcessed(group: string, eventId: string, details: ProcessedEventDetails): Promise<'recorded' | 'duplicate'>;
  /** Forgets the group's records made before `cutoff`; returns how many (see DedupeStrategy `retentionMs`). */
  forgetBefore(group: string, cutoff: Date): Promise<number>;
}

/** In memory: for unit tests only (it forgets everything on restart). */
export class InMemoryProcessedEventStore implements ProcessedEventStore {
  private readonly processed = new Map<string, ProcessedEventDetails & { readonly group: string; readonly at: Date }>();

  async isProcessed(group: string, eventId: string): Promise<boolean> {
    return this.processed.has(`${group}|${eventId}`);
  }

  async markProcessed(group: string, eventId: string, details: ProcessedEventDetails): Promise<'recorded' | 'duplicate'> {
    const key = `${group}|${eventId}`;
    if (this.processed.has(key)) return 'duplicate';
    this.processed.set(key, { ...details, group, at: new Date() });
    return 'recorded';
  }

  async forgetBefore(group: string, cutoff: Date): Promise<number> {
    let forgotten = 0;
    for (const [key, record] of this.processed) {
      if (record.group === group && record.at < cutoff && this.processed.delete(key)) forgotten++;
    }
    return forgotten;
  }
}
