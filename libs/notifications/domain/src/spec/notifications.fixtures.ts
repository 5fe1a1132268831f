import type { RecipientFacts } from '../lib/notification/notification.commands';
import { defaultPreferences, type Preferences } from '../lib/preferences/preferences';
export { mulberry32 } from '@leadership/kernel/testing';

/* Shared test data of the domain specs (one place, so each spec states only what it varies). */

export const STOCKHOLM = 'Europe/Stockholm';
/** A Monday, 09:00 in Stockholm (CET). */
export const T0 = '2026-03-02T08:00:00.000Z';
export const at = (minutes: number, from = T0): string => new Date(Date.parse(from) + minutes * 60_000).toISOString();

export const NIGHTS: Preferences = {
  timeZone: STOCKHOLM,
  quietHours: { from: '22:00', to: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
  channels: {},
  digest: {},
};

export const recipient = (personId: string, extra: Partial<RecipientFacts> = {}): RecipientFacts => ({
  personId,
  address: personId,
  basis: 'direct',
  mandateId: null,
  mandateVersion: null,
  locale: 'sv-SE',
  preferences: defaultPreferences(STOCKHOLM),
  ...extra,
});

/** Ben reached through the case-manager role of unit support, on mandate m-1 version 3. */
export const ROLE = 'role:case-distribution@unit:support';
export const benByMandate = (extra: Partial<RecipientFacts> = {}): RecipientFacts =>
  recipient('person-ben', { address: ROLE, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, ...extra });

