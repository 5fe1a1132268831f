import { formatRecipientAddress, parseRecipientAddress, RecipientAddressInvalidError, roleAddress } from './recipient-address';
import { resolveRoleAddress, RoleFactsMismatchError, stillAddressed, waitsOnMandate, type RoleFacts, type RoleMandate } from './resolve-role-address';

const ROLE = { kind: 'role', taskType: 'case-distribution', unitId: 'support' } as const;
const ADDRESS = 'role:case-distribution@unit:support';
const mandate = (extra: Partial<RoleMandate> = {}): RoleMandate => ({ mandateId: 'm-1', version: 3, holderId: 'person-ben', deputyId: 'person-cleo', status: 'active', ...extra });
const facts = (extra: Partial<RoleFacts> = {}): RoleFacts => ({ taskType: 'case-distribution', unitId: 'support', mandates: [mandate()], absentPersonIds: [], formalManagerIds: ['person-ana'], ...extra });

describe('recipient addresses', () => {
  it('parses person ids and role addresses, and formats them back', () => {
    expect(parseRecipientAddress('person-ben')).toEqual({ kind: 'person', personId: 'person-ben' });
    expect(parseRecipientAddress(ADDRESS)).toEqual(ROLE);
    expect(formatRecipientAddress(parseRecipientAddress(ADDRESS))).toBe(ADDRESS);
    expect(roleAddress('onboarding', 'unit-claims')).toBe('role:onboarding@unit:unit-claims');
  });

  it.each(['role:case-distribution', 'role:@unit:support', 'role:Case@unit:support', 'role:case-distribution@team:support', 'role:x@unit:', 'ben smith', '', 'role:x@unit:a b'])(
    'refuses %j',
    (text) => {
      expect(() => parseRecipientAddress(text)).toThrow(RecipientAddressInvalidError);
    },
  );
});

describe('resolveRoleAddress', () => {
  const stamp = { address: ADDRESS, mandateId: 'm-1', mandateVersion: 3 };

  it('goes to the holder of the active mandate', () => {
    expect(resolveRoleAddress(ROLE, facts())).toEqual([{ personId: 'person-ben', basis: 'mandate', ...stamp }]);
  });

  it('goes to the deputy, on the same mandate, while it is suspended or the holder is absent', () => {
    expect(resolveRoleAddress(ROLE, facts({ mandates: [mandate({ status: 'suspended' })] }))).toEqual([{ personId: 'person-cleo', basis: 'deputy', ...stamp }]);
    expect(resolveRoleAddress(ROLE, facts({ absentPersonIds: ['person-ben'] }))).toEqual([{ personId: 'person-cleo', basis: 'deputy', ...stamp }]);
  });

  it('falls back to the formal managers without a deputy, with an absent deputy, or when the mandate ended', () => {
    const managers = [{ personId: 'person-ana', address: ADDRESS, basis: 'formal-manager', mandateId: null, mandateVersion: null }];
    expect(resolveRoleAddress(ROLE, facts({ mandates: [mandate({ status: 'suspended', deputyId: null })] }))).toEqual(managers);
    expect(resolveRoleAddress(ROLE, facts({ absentPersonIds: ['person-ben', 'person-cleo'] }))).toEqual(managers);
    expect(resolveRoleAddress(ROLE, facts({ mandates: [mandate({ status: 'ended' })] }))).toEqual(managers);
    expect(resolveRoleAddress(ROLE, facts({ mandates: [] }))).toEqual(managers);
    expect(resolveRoleAddress(ROLE, facts({ mandates: [], formalManagerIds: [] }))).toEqual([]);
  });

  it('tells every holder of a shared task once, as holder before deputy', () => {
    const shared = facts({ mandates: [mandate({ deputyId: 'person-dan', status: 'suspended' }), mandate({ mandateId: 'm-2', version: 0, holderId: 'person-dan', deputyId: null })] });
    expect(resolveRoleAddress(ROLE, shared).map((r) => [r.personId, r.basis, r.mandateId])).toEqual([['person-dan', 'mandate', 'm-2']]);
  });

  it('resolves role:formal-manager to the managers, and refuses facts of another role', () => {
    const managers = resolveRoleAddress({ kind: 'role', taskType: 'formal-manager', unitId: 'support' }, facts({ taskType: 'formal-manager' }));
    expect(managers.map((r) => [r.personId, r.basis])).toEqual([['person-ana', 'formal-manager']]);
    expect(() => resolveRoleAddress(ROLE, facts({ unitId: 'sales' }))).toThrow(RoleFactsMismatchError);
  });
});

describe('stillAddressed: duty notifications follow the mandate', () => {
  const toBen = { recipientId: 'person-ben', address: ADDRESS, basis: 'mandate' as const };
  const toCleo = { recipientId: 'person-cleo', address: ADDRESS, basis: 'deputy' as const };

  it('keeps a delivery whose recipient the role still resolves to', () => {
    expect(stillAddressed(toBen, facts())).toBe(true);
    expect(stillAddressed(toBen, facts({ mandates: [mandate({ version: 4 })] }))).toBe(true);
  });

  it('drops it when the mandate ended, the holder left, or the holder came back', () => {
    expect(stillAddressed(toBen, facts({ mandates: [mandate({ status: 'ended' })] }))).toBe(false);
    expect(stillAddressed(toBen, facts({ absentPersonIds: ['person-ben'] }))).toBe(false);
    expect(stillAddressed(toCleo, facts())).toBe(false);
  });

  it('never drops people addressed by id or webhook subscriptions', () => {
    expect(stillAddressed({ recipientId: 'person-ben', address: 'person-ben', basis: 'direct' }, facts({ mandates: [] }))).toBe(true);
    expect(stillAddressed({ recipientId: 'w-1', address: 'webhook:w-1', basis: 'subscription' }, facts())).toBe(true);
  });

  it('finds the deliveries to check when a mandate changes: pending ones that relied on it', () => {
    expect(waitsOnMandate({ mandateId: 'm-1', status: 'scheduled' }, 'm-1')).toBe(true);
    expect(waitsOnMandate({ mandateId: 'm-1', status: 'digest' }, 'm-1')).toBe(true);
    expect(waitsOnMandate({ mandateId: 'm-1', status: 'delivered' }, 'm-1')).toBe(false);
    expect(waitsOnMandate({ mandateId: null, status: 'scheduled' }, 'm-1')).toBe(false);
  });
});
