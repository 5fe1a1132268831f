import { uniqueSorted } from '../shared/collections';
import { DIRECTORY_ID_PATTERN, EMAIL_PATTERN, LOCALE_PATTERN, type Person, type Unit } from './directory';
import {
  InvalidDirectoryIdError,
  InvalidEmailError,
  InvalidLocaleError,
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

/** Rules a person satisfies on their own (ids, name, e-mail and locale shape); returns them normalised. */
export function validatePerson(person: Person): Person {
  checkId('person id', person.id);
  person.unitIds.forEach((unitId) => checkId('unit id', unitId));
  const displayName = person.displayName.trim();
  if (displayName.length === 0) throw new MissingNameError(person.id);
  const email = person.email.trim();
  if (!EMAIL_PATTERN.test(email)) throw new InvalidEmailError(person.id);
  if (!LOCALE_PATTERN.test(person.locale)) throw new InvalidLocaleError(person.id, person.locale);
  return { id: person.id, displayName, email, locale: person.locale, unitIds: uniqueSorted(person.unitIds) };
}
