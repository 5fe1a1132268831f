import { handleCommand, readAggregate, type EventStore, type ReadOnlyEventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { preferencesDecider, preferencesOf, preferencesStreamName, type Preferences } from '@leadership/notifications-domain';

/** A person's preferences in force, and whether they ever set any. */
export interface PreferencesView {
  readonly personId: string;
  readonly preferences: Preferences;
  readonly isDefault: boolean;
  readonly version: number | null;
}

/** `GET /preferences`: the caller's preferences from their stream (always current), defaults in the service's zone otherwise. */
export class GetPreferencesQuery {
  constructor(
    private readonly store: Pick<ReadOnlyEventStore, 'readStream'>,
    private readonly defaultTimeZone: string,
  ) {}

  async execute(personId: string): Promise<PreferencesView> {
    const { state, revision } = await readAggregate(this.store, preferencesDecider, preferencesStreamName(personId));
    return { personId, preferences: preferencesOf(state, this.defaultTimeZone), isDefault: state.status === 'default', version: state.status === 'set' ? revision : null };
  }
}

/** `PUT /preferences`: replaces the caller's preferences whole (validated by the decider; a repeat changes nothing). */
export class SetPreferencesHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(personId: string, preferences: Preferences, context: CommandContext): Promise<PreferencesView> {
    const stream = preferencesStreamName(personId);
    const result = await handleCommand(
      this.store,
      stream,
      preferencesDecider,
      { type: 'SetPreferences', data: { personId, actorId: context.actorId, at: this.now().toISOString(), preferences } },
      { metadata: metadataFor(context, stream) },
    );
    if (result.newEvents.length > 0) this.changed();
    const state = result.newState;
    return { personId, preferences: state.status === 'set' ? state.preferences : preferences, isDefault: false, version: result.nextExpectedRevision === 'no_stream' ? null : result.nextExpectedRevision };
  }
}
