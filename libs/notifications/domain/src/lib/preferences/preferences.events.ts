import type { Preferences } from './preferences';

/** A person's preferences were replaced (stream `preferences-<personId>`); carries them whole. */
export interface PreferencesSet {
  readonly type: 'PreferencesSet';
  readonly data: { readonly personId: string; readonly actorId: string; readonly at: string; readonly preferences: Preferences };
}

/** The one event union of the preferences aggregate. */
export type PreferencesEvent = PreferencesSet;
