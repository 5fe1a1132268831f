import { DomainRuleError } from '@leadership/kernel';

/*
 * Who a notification is for, as workflows and the REST trigger write it: a person id, or a role
 * address `role:<taskType>@unit:<unitId>` that is resolved from the mandates in force at send time.
 * `role:formal-manager@unit:<unitId>` names the unit's formal managers (the task type is reserved:
 * no catalogue entry may take that key, since a formal manager holds no mandate).
 */

/** The reserved task type of role addresses that name a unit's formal managers. */
export const FORMAL_MANAGER_ROLE = 'formal-manager';

/** A person addressed by id. */
export interface PersonAddress {
  readonly kind: 'person';
  readonly personId: string;
}

/** A role in a unit: the holder of the mandate for `taskType` there (or its fallbacks). */
export interface RoleAddress {
  readonly kind: 'role';
  readonly taskType: string;
  readonly unitId: string;
}

export type RecipientAddress = PersonAddress | RoleAddress;

/** A recipient address that is neither a person id nor a well-formed role address (400 at the edge). */
export class RecipientAddressInvalidError extends DomainRuleError {
  override readonly name = 'RecipientAddressInvalidError';
  constructor(readonly address: string) {
    super(
      'recipient.address-invalid',
      `"${address.slice(0, 200)}" is not a recipient: use a person id or role:<taskType>@unit:<unitId> (e.g. role:case-distribution@unit:support)`,
      { address: address.slice(0, 200) },
    );
  }
}

const ID = '[A-Za-z0-9][A-Za-z0-9._-]{0,127}';
const PERSON_ID = new RegExp(`^${ID}$`);
const TASK_TYPE = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const ROLE = new RegExp(`^role:(${TASK_TYPE})@unit:(${ID})$`);

/**
 * Parses an address strictly: anything starting with `role:` must be a complete role address (a
 * typo must not fall back to being read as a person id), and person ids use the id alphabet.
 */
export function parseRecipientAddress(text: string): RecipientAddress {
  if (text.startsWith('role:')) {
    const match = ROLE.exec(text);
    if (!match || (match[1] ?? '').length > 64) throw new RecipientAddressInvalidError(text);
    return { kind: 'role', taskType: match[1] ?? '', unitId: match[2] ?? '' };
  }
  if (!PERSON_ID.test(text)) throw new RecipientAddressInvalidError(text);
  return { kind: 'person', personId: text };
}

/** The canonical text of an address (parse ∘ format is the identity). */
export function formatRecipientAddress(address: RecipientAddress): string {
  return address.kind === 'person' ? address.personId : `role:${address.taskType}@unit:${address.unitId}`;
}

/** The role address of a task type in a unit. */
export const roleAddress = (taskType: string, unitId: string): string => formatRecipientAddress({ kind: 'role', taskType, unitId });
