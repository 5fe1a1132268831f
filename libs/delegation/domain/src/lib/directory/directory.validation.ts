import { uniqueSorted } from '../shared/collections';
import { compareInstants, fromMillis, isBefore, isIsoInstant, toMillis } from '../shared/instant';
import { DIRECTORY_ID_PATTERN, EMAIL_PATTERN, LOCALE_PATTERN, MAX_ABSENCES, MAX_SKILLS, SKILL_PATTERN, type Absence, type PersonRecord, type Unit } from './directory';
import {
  DuplicateAbsenceIdError,
  InvalidAbsenceError,
  InvalidDirectoryIdError,
  InvalidEmailError,
  InvalidLocaleError,
  InvalidSkillError,
  MissingNameError,
  UnitOwnParentError,
} from './directory.errors';

function checkId(field: string, value: string): void {
  if (!DIRECTORY_ID_PATTERN.test(value)) throw new InvalidDirectoryIdError(field, value);
}

/**
 * Rules a unit satisfies on its own (ids, name, not its own parent); returns it normalised (name
 * trimmed, managers sorted and de-duplicated) so that equal content compares equal.
 */
export function validateUnit(unit: Unit): Unit {
  checkId('unit id', unit.id);
  if (unit.parentId !== null) checkId('parent id', unit.parentId);
  unit.managerIds.forEach((managerId) => checkId('manager id', managerId));
  const name = unit.name.trim();
  if (name.length === 0) throw new MissingNameError(unit.id);
  if (unit.parentId === unit.id) throw new UnitOwnParentError(unit.id);
  return { id: unit.id, name, parentId: unit.parentId, managerIds: uniqueSorted(unit.managerIds) };
}

/** Rules a person satisfies on their own (ids, name, e-mail, locale and skill shape); returns them normalised. */
export function validatePerson(person: PersonRecord): PersonRecord {
  checkId('person id', person.id);
  person.unitIds.forEach((unitId) => checkId('unit id', unitId));
  const displayName = person.displayName.trim();
  if (displayName.length === 0) throw new MissingNameError(person.id);
  const email = person.email.trim();
  if (!EMAIL_PATTERN.test(email)) throw new InvalidEmailError(person.id);
  if (!LOCALE_PATTERN.test(person.locale)) throw new InvalidLocaleError(person.id, person.locale);
  const normalised = { id: person.id, displayName, email, locale: person.locale, unitIds: uniqueSorted(person.unitIds) };
  return person.skills === undefined ? normalised : { ...normalised, skills: validateSkills(person.id, person.skills) };
}

/** Skill names, sorted and unique; each a word of SKILL_PATTERN, at most MAX_SKILLS. */
export function validateSkills(personId: string, skills: readonly string[]): readonly string[] {
  const invalid = skills.find((skill) => !SKILL_PATTERN.test(skill));
  if (invalid !== undefined) throw new InvalidSkillError(personId, `skill "${invalid.slice(0, 70)}" is not a word of letters, digits and . _ : + -`);
  const unique = uniqueSorted(skills);
  if (unique.length > MAX_SKILLS) throw new InvalidSkillError(personId, `${unique.length} skills, at most ${MAX_SKILLS}`);
  return unique;
}

/**
 * Absence periods of one person: ids, instants with `from` before `to`, ids unique, at most
 * MAX_ABSENCES; returned with instants in UTC and ordered by `from` (then `to`, id), so the same
 * periods compare equal however they were written.
 */
export function validateAbsences(personId: string, absences: readonly Absence[]): readonly Absence[] {
  if (absences.length > MAX_ABSENCES) throw new InvalidAbsenceError(personId, null, `${absences.length} periods, at most ${MAX_ABSENCES}`);
  const seen = new Set<string>();
  const normalised = absences.map((absence, index): Absence => {
    if (!DIRECTORY_ID_PATTERN.test(absence.absenceId)) throw new InvalidAbsenceError(personId, index, `id "${absence.absenceId.slice(0, 140)}" is not valid`);
    if (!isIsoInstant(absence.from) || !isIsoInstant(absence.to)) throw new InvalidAbsenceError(personId, index, 'from and to must be ISO-8601 instants with an offset');
    if (!isBefore(absence.from, absence.to)) throw new InvalidAbsenceError(personId, index, 'from must be before to');
    if (seen.has(absence.absenceId)) throw new DuplicateAbsenceIdError(personId, absence.absenceId);
    seen.add(absence.absenceId);
    return { absenceId: absence.absenceId, from: fromMillis(toMillis(absence.from)), to: fromMillis(toMillis(absence.to)) };
  });
  return normalised.sort((a, b) => compareInstants(a.from, b.from) || compareInstants(a.to, b.to) || (a.absenceId < b.absenceId ? -1 : 1));
}
