import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { NIGHTS, STOCKHOLM, T0 } from '../../spec/notifications.fixtures';
import { channelsFor, defaultPreferences, type Preferences } from './preferences';
import type { PreferencesCommand } from './preferences.commands';
import { preferencesDecider, preferencesOf } from './preferences.decider';
import { DigestCadenceInvalidError, PreferencesCategoryInvalidError, PreferencesTimeZoneInvalidError, QuietHoursInvalidError } from './preferences.errors';
import type { PreferencesEvent } from './preferences.events';

const given = DeciderSpecification.for(preferencesDecider);
const set = (preferences: Preferences): PreferencesCommand => ({ type: 'SetPreferences', data: { personId: 'person-ben', actorId: 'person-ben', at: T0, preferences } });
const wasSet = (preferences: Preferences): PreferencesEvent => ({ type: 'PreferencesSet', data: { personId: 'person-ben', actorId: 'person-ben', at: T0, preferences } });
const mine: Preferences = { ...NIGHTS, channels: { cases: { inApp: true, email: false } }, digest: { mandates: 'daily' } };

describe('preferences decider', () => {
  it('sets preferences, days in week order', () => {
    const shuffled = { ...mine, quietHours: { from: '22:00', to: '07:00', days: ['sun', 'mon'] as const } };
    given([]).when(set({ ...shuffled, quietHours: { ...shuffled.quietHours, days: [...shuffled.quietHours.days] } })).then([wasSet({ ...mine, quietHours: { from: '22:00', to: '07:00', days: ['mon', 'sun'] } })]);
  });

  it('changes nothing for the same preferences again, in any key order', () => {
    given([wasSet(mine)]).when(set({ digest: mine.digest, channels: mine.channels, quietHours: mine.quietHours, timeZone: STOCKHOLM })).thenNothingHappens();
  });

  it('replaces them whole', () => {
    given([wasSet(mine)]).when(set(defaultPreferences(STOCKHOLM))).then([wasSet(defaultPreferences(STOCKHOLM))]);
  });

  it('refuses unknown zones, bad quiet hours, categories and cadences', () => {
    given([]).when(set({ ...mine, timeZone: 'Europe/Atlantis' })).thenThrows(PreferencesTimeZoneInvalidError, 'preferences.time-zone-invalid');
    given([]).when(set({ ...mine, quietHours: { from: '22:00', to: '24:00', days: ['mon'] } })).thenThrows(QuietHoursInvalidError, 'preferences.quiet-hours-invalid');
    given([]).when(set({ ...mine, quietHours: { from: '07:00', to: '07:00', days: ['mon'] } })).thenThrows(QuietHoursInvalidError, 'preferences.quiet-hours-invalid');
    given([]).when(set({ ...mine, quietHours: { from: '22:00', to: '07:00', days: [] } })).thenThrows(QuietHoursInvalidError, 'preferences.quiet-hours-invalid');
    given([]).when(set({ ...mine, quietHours: { from: '22:00', to: '07:00', days: ['mon', 'mon'] } })).thenThrows(QuietHoursInvalidError, 'preferences.quiet-hours-invalid');
    given([]).when(set({ ...mine, channels: { 'Not A Category': { inApp: true, email: true } } })).thenThrows(PreferencesCategoryInvalidError, 'preferences.category-invalid');
    given([]).when(set({ ...mine, digest: { cases: 'weekly' as 'daily' } })).thenThrows(DigestCadenceInvalidError, 'preferences.digest-cadence-invalid');
  });

  it('answers defaults in the directory zone until set', () => {
    expect(preferencesOf(fold(preferencesDecider, []), 'Europe/London')).toEqual(defaultPreferences('Europe/London'));
    expect(preferencesOf(fold(preferencesDecider, [wasSet(mine)]), 'Europe/London')).toEqual(mine);
  });
});

describe('channelsFor', () => {
  const both = { inApp: true, email: true };
  const offEmail: Preferences = { ...defaultPreferences(STOCKHOLM), channels: { cases: { inApp: true, email: false }, mandates: { inApp: false, email: false } } };

  it('follows the workflow defaults for a category the person has not chosen', () => {
    expect(channelsFor(defaultPreferences(STOCKHOLM), both, 'cases', false)).toEqual(['in-app', 'email']);
    expect(channelsFor(offEmail, { inApp: true, email: false }, 'onboarding', false)).toEqual(['in-app']);
  });

  it('lets the person switch channels off, or on beyond the defaults', () => {
    expect(channelsFor(offEmail, both, 'cases', false)).toEqual(['in-app']);
    expect(channelsFor(offEmail, both, 'mandates', false)).toEqual([]);
    const optIn = { ...defaultPreferences(STOCKHOLM), channels: { cases: { inApp: true, email: true } } };
    expect(channelsFor(optIn, { inApp: true, email: false }, 'cases', false)).toEqual(['in-app', 'email']);
  });

  it('cannot switch a critical notification off', () => {
    expect(channelsFor(offEmail, both, 'mandates', true)).toEqual(['in-app', 'email']);
    expect(channelsFor(offEmail, { inApp: true, email: false }, 'cases', true)).toEqual(['in-app']);
  });
});
