import { assertNever, type Decider } from '@leadership/kernel';
import { DIGEST_CADENCES, isCategory, type DigestCadence } from '../shared/notification-vocabulary';
import { isTimeZone, parseLocalTime, WEEKDAYS, type Weekday } from '../shared/local-time';
import { sameJson } from '../shared/same-json';
import { defaultPreferences, type Preferences } from './preferences';
import type { PreferencesCommand, SetPreferences } from './preferences.commands';
import { DigestCadenceInvalidError, PreferencesCategoryInvalidError, PreferencesTimeZoneInvalidError, QuietHoursInvalidError } from './preferences.errors';
import type { PreferencesEvent } from './preferences.events';

/** State of a preferences stream: `default` until the person sets any. */
export type PreferencesState =
  | { readonly status: 'default' }
  | { readonly status: 'set'; readonly personId: string; readonly preferences: Preferences; readonly updatedAt: string; readonly updatedBy: string };

/** The preferences in force: the stored ones, or the defaults in the zone the directory gives. */
export const preferencesOf = (state: PreferencesState, defaultTimeZone: string): Preferences =>
  state.status === 'set' ? state.preferences : defaultPreferences(defaultTimeZone);

/** Checks and normalises preferences (days in week order, each once); throws the broken rule. */
function validated(personId: string, preferences: Preferences): Preferences {
  if (!isTimeZone(preferences.timeZone)) throw new PreferencesTimeZoneInvalidError(personId, preferences.timeZone);
  const quiet = preferences.quietHours;
  if (quiet) {
    const from = parseLocalTime(quiet.from);
    const to = parseLocalTime(quiet.to);
    if (from === undefined || to === undefined) throw new QuietHoursInvalidError(personId, 'from and to are local times HH:MM (00:00 to 23:59)');
    if (from === to) throw new QuietHoursInvalidError(personId, 'from and to must differ (a window of no length or of a whole day is not quiet hours)');
    if (quiet.days.length === 0 || quiet.days.some((d) => !WEEKDAYS.includes(d)) || new Set(quiet.days).size !== quiet.days.length) {
      throw new QuietHoursInvalidError(personId, 'days are one or more of mon, tue, wed, thu, fri, sat, sun, each once');
    }
  }
  for (const category of [...Object.keys(preferences.channels), ...Object.keys(preferences.digest)]) {
    if (!isCategory(category)) throw new PreferencesCategoryInvalidError(personId, category);
  }
  for (const [category, cadence] of Object.entries(preferences.digest)) {
    if (!DIGEST_CADENCES.includes(cadence as DigestCadence)) throw new DigestCadenceInvalidError(personId, category);
  }
  const days: readonly Weekday[] = quiet ? WEEKDAYS.filter((d) => quiet.days.includes(d)) : [];
  return { ...preferences, quietHours: quiet ? { from: quiet.from, to: quiet.to, days } : null };
}

function set(command: SetPreferences, state: PreferencesState): readonly PreferencesEvent[] {
  const { personId, actorId, at } = command.data;
  const preferences = validated(personId, command.data.preferences);
  // A repeated PUT (or the same preferences in another key order) changes nothing.
  if (state.status === 'set' && sameJson(state.preferences, preferences)) return [];
  return [{ type: 'PreferencesSet', data: { personId, actorId, at, preferences } }];
}

function evolve(_state: PreferencesState, event: PreferencesEvent): PreferencesState {
  switch (event.type) {
    case 'PreferencesSet': {
      const { personId, preferences, at, actorId } = event.data;
      return { status: 'set', personId, preferences, updatedAt: at, updatedBy: actorId };
    }
    default:
      return assertNever(event.type);
  }
}

/** The preferences aggregate as a decider (stream `preferences-<personId>`). */
export const preferencesDecider: Decider<PreferencesCommand, PreferencesEvent, PreferencesState> = {
  initialState: () => ({ status: 'default' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'SetPreferences':
        return set(command, state);
      default:
        return assertNever(command.type);
    }
  },
};
