import { DomainRuleError } from '@leadership/kernel';

/** The time zone is not an IANA zone the runtime knows. */
export class PreferencesTimeZoneInvalidError extends DomainRuleError {
  override readonly name = 'PreferencesTimeZoneInvalidError';
  constructor(readonly personId: string, readonly timeZone: string) {
    super('preferences.time-zone-invalid', `"${timeZone.slice(0, 64)}" is not a time zone; use an IANA name such as Europe/Stockholm`, { personId });
  }
}

/** Quiet hours need `HH:MM` bounds that differ, and at least one day, each once. */
export class QuietHoursInvalidError extends DomainRuleError {
  override readonly name = 'QuietHoursInvalidError';
  constructor(readonly personId: string, readonly reason: string) {
    super('preferences.quiet-hours-invalid', `quiet hours: ${reason}`, { personId, reason });
  }
}

/** Categories are kebab-case keys such as `mandates` or `cases`. */
export class PreferencesCategoryInvalidError extends DomainRuleError {
  override readonly name = 'PreferencesCategoryInvalidError';
  constructor(readonly personId: string, readonly category: string) {
    super('preferences.category-invalid', `"${category.slice(0, 64)}" is not a category (kebab-case, up to 50 characters)`, { personId });
  }
}

/** Digests are `off`, `hourly` or `daily`. */
export class DigestCadenceInvalidError extends DomainRuleError {
  override readonly name = 'DigestCadenceInvalidError';
  constructor(readonly personId: string, readonly category: string) {
    super('preferences.digest-cadence-invalid', `digest of ${category}: use off, hourly or daily`, { personId, category });
  }
}
