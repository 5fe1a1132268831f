import type { Channel, ChannelSwitches, DigestCadence } from '../shared/notification-vocabulary';
import type { Weekday } from '../shared/local-time';

/**
 * Quiet hours in the person's zone: from `from` to `to` (`HH:MM`) on each of `days`, the day the
 * window starts. `to` before `from` is an overnight window (22:00–07:00 on Friday ends Saturday 07:00).
 */
export interface QuietHours {
  readonly from: string;
  readonly to: string;
  readonly days: readonly Weekday[];
}

/** A person's notification preferences (`PUT /preferences` replaces them whole). */
export interface Preferences {
  /** IANA zone quiet hours and daily digests are read in, e.g. `Europe/Stockholm`. */
  readonly timeZone: string;
  readonly quietHours: QuietHours | null;
  /** Channels per category; a category not listed follows the workflow's defaults. */
  readonly channels: Readonly<Record<string, ChannelSwitches>>;
  /** Digest cadence per category (e-mail only); a category not listed is `off`. */
  readonly digest: Readonly<Record<string, DigestCadence>>;
}

/** The preferences of someone who never set any: the workflow decides, nothing waits. */
export const defaultPreferences = (timeZone: string): Preferences => ({ timeZone, quietHours: null, channels: {}, digest: {} });

/**
 * The person channels a notification of `category` goes out on. Preferences switch a channel on or
 * off per category, overriding the workflow's defaults. A critical notification cannot be switched
 * off (as in Novu and Knock): it uses every channel its workflow defaults to, plus any the person
 * switched on. In-app comes first, so the inbox has the item before an e-mail points to it.
 */
export function channelsFor(preferences: Preferences, workflowDefaults: ChannelSwitches, category: string, critical: boolean): readonly Channel[] {
  const chosen = preferences.channels[category];
  const on = (key: keyof ChannelSwitches): boolean => (critical ? workflowDefaults[key] || chosen?.[key] === true : (chosen?.[key] ?? workflowDefaults[key]));
  return [...(on('inApp') ? (['in-app'] as const) : []), ...(on('email') ? (['email'] as const) : [])];
}

/** The digest cadence of a category (critical notifications are never digested; the caller checks). */
export const digestCadenceFor = (preferences: Preferences, category: string): DigestCadence => preferences.digest[category] ?? 'off';
