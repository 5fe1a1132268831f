import type { Preferences } from './preferences';

/** Replaces a person's preferences whole (`PUT /preferences`); `at` is when, the domain reads no clock. */
export interface SetPreferences {
  readonly type: 'SetPreferences';
  readonly data: {
    readonly personId: string;
    /** Who sets them: the person, or an administrator on their behalf. */
    readonly actorId: string;
    readonly at: string;
    readonly preferences: Preferences;
  };
}

export type PreferencesCommand = SetPreferences;
