import { MongoClient } from 'mongodb';
import { isolatedMongoUri } from '@leadership/testing';
import { MongoOnboardingPeople } from './mongo-onboarding-people';

/* Against the real MongoDB wire server of the harness (FerretDB locally), a database of its own. */
describe('MongoOnboardingPeople', () => {
  let client: MongoClient;
  let people: MongoOnboardingPeople;
  const { uri, dbName } = isolatedMongoUri('onboarding-people');

  beforeAll(async () => {
    client = await MongoClient.connect(uri);
    people = new MongoOnboardingPeople(client.db(dbName));
    await people.init();
  });

  afterAll(async () => {
    await client?.db(dbName).dropDatabase().catch(() => undefined);
    await client?.close();
  });

  const person = (personId: string, version: number, skills: string[], unitIds = ['support']) => ({ personId, version, unitIds, skills, absences: [{ from: '2026-11-02T00:00:00.000Z', to: '2026-11-07T00:00:00.000Z' }] });

  it('keeps the newest version of a person: a redelivery or an older version changes nothing', async () => {
    expect(await people.save(person('p-1', 0, ['Billing']))).toBe('applied');
    expect(await people.save(person('p-1', 2, ['billing', 'Escalations'], ['support', 'claims']))).toBe('applied');
    expect(await people.save(person('p-1', 2, ['other']))).toBe('stale');
    expect(await people.save(person('p-1', 1, ['other']))).toBe('stale');
    expect(await people.person('p-1')).toEqual(person('p-1', 2, ['billing', 'Escalations'], ['support', 'claims']));
    expect(await people.person('p-none')).toBeUndefined();
  });

  it('finds people by skill, trimmed and case-insensitively, in id order', async () => {
    await people.save(person('p-3', 0, [' billing ']));
    await people.save(person('p-2', 0, ['Onboarding']));
    expect((await people.withSkill('BILLING')).map((p) => p.personId)).toEqual(['p-1', 'p-3']);
    expect((await people.withSkill('escalations')).map((p) => p.personId)).toEqual(['p-1']);
    expect(await people.withSkill('nothing')).toEqual([]);
  });
});
