/** An organisational unit as HR describes it; formal managers lead it (and, by inheritance, its sub-units). */
export interface Unit {
  readonly id: string;
  readonly name: string;
  /** null for a root unit. */
  readonly parentId: string | null;
  /** Person ids of the unit's formal managers; may be empty (then ancestors' managers lead it). */
  readonly managerIds: readonly string[];
}

/**
 * A period in which a person is away, `[from, to)` (instants). No reason: why someone is away
 * (illness, leave) is personal data the platform does not need to plan around the absence.
 */
export interface Absence {
  /** Stable id of the period (given by the writer, or derived from its times), so a writer can tell its periods apart. */
  readonly absenceId: string;
  readonly from: string;
  readonly to: string;
}

/** A person as HR registers or updates them (`PUT /directory/people/{id}`, imports). */
export interface PersonRecord {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  /** BCP 47 language tag such as `de`, `de-CH`, `en-GB`. */
  readonly locale: string;
  /** Ids of the units the person is a member of. */
  readonly unitIds: readonly string[];
  /** Skill names; left out, the person's skills stay as they are (a feed without skills does not erase them). */
  readonly skills?: readonly string[];
}

/**
 * A person of the directory as it stands. Only the directory's own events carry name and e-mail;
 * everything else carries ids. Absences are kept by their own command (the person, their
 * managers and HR write them), not by HR's upsert.
 */
export interface Person extends Omit<PersonRecord, 'skills'> {
  /** Skill names, sorted and unique. */
  readonly skills: readonly string[];
  /** Absence periods, ordered by `from`. */
  readonly absences: readonly Absence[];
}

/** A person as stored by any version of the events (skills and absences came later): today's shape. */
export function personOf(stored: PersonRecord & { readonly absences?: readonly Absence[] }): Person {
  return { ...stored, skills: stored.skills ?? [], absences: stored.absences ?? [] };
}

/** The directory as the application's projections know it; input of the bulk-import planner. */
export interface DirectorySnapshot {
  readonly units: readonly Unit[];
  readonly people: readonly Person[];
}

/** Ids as HR systems deliver them; no whitespace so they embed in stream names and URLs unescaped. */
export const DIRECTORY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/**
 * Deliberately simple address shape (local@domain.tld, no spaces): full RFC 5322 validation accepts
 * addresses no mail server delivers to, and the SMTP adapter reports real delivery failures anyway.
 */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** A skill name as HR systems name them: letters, digits and `. _ : + -`, e.g. `motor-claims`, `de`, `c++`. */
export const SKILL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$/;

/** Skills of one person: enough for any real profile, small enough for every event and message that carries them. */
export const MAX_SKILLS = 100;

/** Absence periods of one person: the writers keep the current and coming ones; past ones may be dropped. */
export const MAX_ABSENCES = 200;

/** BCP 47 subset: language, optional script, optional region (`en`, `de-CH`, `zh-Hant-TW`, `es-419`). */
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;

/**
 * Whether making `parentId` the parent of `unitId` would close a loop in the unit tree. Pure: the
 * caller passes the units it knows (a projection, or the directory plus an import batch).
 */
export function wouldCreateCycle(
  parentOf: ReadonlyMap<string, string | null>,
  unitId: string,
  parentId: string | null,
): boolean {
  const seen = new Set<string>();
  for (let current = parentId; current !== null && current !== undefined; current = parentOf.get(current) ?? null) {
    if (current === unitId) return true;
    // A loop that does not include unitId is a pre-existing defect; stop rather than spin.
    if (seen.has(current)) return false;
    seen.add(current);
  }
  return false;
}
