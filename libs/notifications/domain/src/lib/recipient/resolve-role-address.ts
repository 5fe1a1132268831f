import { DomainRuleError } from '@leadership/kernel';
import type { RecipientBasis } from '../shared/notification-vocabulary';
import { FORMAL_MANAGER_ROLE, formatRecipientAddress, parseRecipientAddress, type RoleAddress } from './recipient-address';

/*
 * Role addresses resolve from facts the application gathers from the authority projection
 * (libs/authority) at the moment of sending: the mandates for the role's task type in the unit,
 * who is absent, and the unit's formal managers. Pure, so the same facts always give the same
 * recipients and the answer to "why did I get this?" is stored with the delivery.
 */

/** A mandate for the role's task type and unit, as the authority projection knows it now. */
export interface RoleMandate {
  readonly mandateId: string;
  /** Mandate version (its stream revision) the resolution relied on. */
  readonly version: number;
  readonly holderId: string;
  readonly deputyId: string | null;
  /** `ended` mandates may be passed; they address nobody (the formal managers take over). */
  readonly status: 'active' | 'suspended' | 'ended';
}

/** What the application knows about a role in a unit at the time of resolving. */
export interface RoleFacts {
  readonly taskType: string;
  readonly unitId: string;
  readonly mandates: readonly RoleMandate[];
  /** People absent now (leave, sickness): a holder who is away does not receive duty notifications. */
  readonly absentPersonIds: readonly string[];
  readonly formalManagerIds: readonly string[];
}

/** One person a notification goes to, and why (stored with each delivery). */
export interface ResolvedRecipient {
  readonly personId: string;
  /** The address that led to this person (a person id, or the role address). */
  readonly address: string;
  readonly basis: RecipientBasis;
  /** The mandate relied on for `mandate` and `deputy`; null otherwise. */
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
}

/** Role facts passed for another role than the address names (a wiring mistake, never user input). */
export class RoleFactsMismatchError extends DomainRuleError {
  override readonly name = 'RoleFactsMismatchError';
  constructor(readonly address: string, readonly facts: string) {
    super('recipient.role-facts-mismatch', `facts for ${facts} cannot resolve ${address}`, { address, facts });
  }
}

function formalManagers(address: string, facts: RoleFacts): ResolvedRecipient[] {
  return facts.formalManagerIds.map((personId) => ({ personId, address, basis: 'formal-manager', mandateId: null, mandateVersion: null }));
}

/** The person a mandate in force addresses now: its holder, or the deputy when the holder cannot act. */
function addressedBy(mandate: RoleMandate, address: string, absent: ReadonlySet<string>): ResolvedRecipient | undefined {
  if (mandate.status === 'ended') return undefined;
  const stamp = { address, mandateId: mandate.mandateId, mandateVersion: mandate.version };
  if (mandate.status === 'active' && !absent.has(mandate.holderId)) return { personId: mandate.holderId, basis: 'mandate', ...stamp };
  // The deputy stands in for a suspended mandate or an absent holder; an absent deputy stands in for nobody.
  if (mandate.deputyId !== null && !absent.has(mandate.deputyId)) return { personId: mandate.deputyId, basis: 'deputy', ...stamp };
  return undefined;
}

/**
 * The recipients of a role address: each mandate's holder (basis `mandate`); for a suspended
 * mandate or an absent holder its deputy (basis `deputy`, the same mandate id and version); when
 * no mandate in force addresses anyone, the unit's formal managers (basis `formal-manager`), who
 * are the fallback for every delegated task. Each person once (shared task types may have several
 * holders, and one holder's deputy may hold another mandate). Empty only when the unit has no
 * formal manager either.
 */
export function resolveRoleAddress(role: RoleAddress, facts: RoleFacts): readonly ResolvedRecipient[] {
  const address = formatRecipientAddress(role);
  if (facts.taskType !== role.taskType || facts.unitId !== role.unitId) throw new RoleFactsMismatchError(address, `${facts.taskType}@${facts.unitId}`);
  if (role.taskType === FORMAL_MANAGER_ROLE) return formalManagers(address, facts);
  const absent = new Set(facts.absentPersonIds);
  const byPerson = new Map<string, ResolvedRecipient>();
  // Holders first, so a person who is both a holder and someone's deputy is told as the holder.
  const resolved = facts.mandates.map((mandate) => addressedBy(mandate, address, absent)).filter((r): r is ResolvedRecipient => r !== undefined);
  for (const recipient of [...resolved.filter((r) => r.basis === 'mandate'), ...resolved.filter((r) => r.basis === 'deputy')]) {
    if (!byPerson.has(recipient.personId)) byPerson.set(recipient.personId, recipient);
  }
  return byPerson.size > 0 ? [...byPerson.values()] : formalManagers(address, facts);
}

/** A delivery as far as the send-time check needs it. */
export interface AddressedDelivery {
  readonly recipientId: string;
  readonly address: string;
  readonly basis: RecipientBasis;
}

/**
 * "Duty notifications follow the mandate": true when the delivery's recipient is still addressed
 * by its address now. People addressed by id and webhook subscriptions always are. A recipient
 * reached through a role (mandate, deputy or formal manager) is addressed only when resolving the
 * role again with today's facts finds the same person; a mandate that ended, a holder who came back
 * from absence (the deputy's delivery) or a resumed mandate all move the delivery to whoever the
 * role resolves to now, which the application then passes to RedirectDelivery.
 */
export function stillAddressed(delivery: AddressedDelivery, factsNow: RoleFacts): boolean {
  if (delivery.basis === 'direct' || delivery.basis === 'subscription') return true;
  const address = parseRecipientAddress(delivery.address);
  if (address.kind === 'person') return address.personId === delivery.recipientId;
  return resolveRoleAddress(address, factsNow).some((recipient) => recipient.personId === delivery.recipientId);
}

/**
 * True for a delivery that is still to go out and relied on `mandateId`: when that mandate ends,
 * is suspended or changes hands, these are the deliveries to check with stillAddressed (besides the
 * check every delivery gets at send time).
 */
export const waitsOnMandate = (delivery: { readonly mandateId: string | null; readonly status: string }, mandateId: string): boolean =>
  delivery.mandateId === mandateId && (delivery.status === 'scheduled' || delivery.status === 'digest' || delivery.status === 'retrying');
