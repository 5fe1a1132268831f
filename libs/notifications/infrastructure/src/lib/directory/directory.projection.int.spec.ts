import { MongoClient, type Db } from 'mongodb';
import { testInfra, uniqueName } from '@leadership/testing';
import { DirectoryUnavailableError } from '@leadership/notifications-application';
import { DirectoryProjection, type DirectoryContactSource } from './directory.projection';
import { ProjectionRoleDirectory } from '../authority/projection-role-directory';
import type { AuthorityProjection } from '@leadership/authority';

const noContacts: DirectoryContactSource = { fetch: async () => undefined, fetchUnit: async () => undefined };
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/* The directory projection against the real MongoDB wire server: absences (what role resolution reads at send time), people in memory, whether a person exists. */
describe('DirectoryProjection (MongoDB wire)', () => {
  let client: MongoClient;
  let db: Db;
  const dbName = uniqueName('notifications_directory').replace(/-/g, '_');

  beforeAll(async () => {
    client = await MongoClient.connect(testInfra().mongo.uri);
    db = client.db(dbName);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('keeps the periods of the newest PersonChanged, keeps them for a message without any, and restores them on start', async () => {
    const now = Date.now();
    const away = { from: iso(now - DAY), to: iso(now + 2 * DAY) };
    const later = { from: iso(now + 10 * DAY), to: iso(now + 12 * DAY) };
    const directory = new DirectoryProjection(db, noContacts);
    await directory.applyPersonChanged({ personId: 'ben', version: 1, locale: 'sv-SE', absences: [away, later] });
    await directory.applyPersonChanged({ personId: 'dan', version: 0, locale: 'en-GB', absences: [] });
    expect(directory.absentAmong(['ben', 'dan', 'eve'], iso(now))).toEqual(['ben']);
    expect(directory.absentAmong(['ben'], iso(now + 5 * DAY))).toEqual([]);
    expect(directory.absentAmong(['ben'], iso(now + 11 * DAY))).toEqual(['ben']);
    // The end is exclusive: back at `to`.
    expect(directory.absentAmong(['ben'], away.to)).toEqual([]);

    // A redelivered older version changes nothing; a message from before the directory had absences keeps them.
    await directory.applyPersonChanged({ personId: 'ben', version: 0, locale: 'sv-SE', absences: [] });
    await directory.applyPersonChanged({ personId: 'ben', version: 2, locale: 'en-GB' });
    expect(directory.absentAmong(['ben'], iso(now))).toEqual(['ben']);

    // A restarted service knows them before the topic says anything again.
    const restarted = new DirectoryProjection(db, noContacts);
    await restarted.load();
    expect(restarted.absentAmong(['ben', 'dan'], iso(now))).toEqual(['ben']);

    // Cleared by a newer version.
    await restarted.applyPersonChanged({ personId: 'ben', version: 3, locale: 'en-GB', absences: [] });
    expect(restarted.absentAmong(['ben'], iso(now))).toEqual([]);
  });

  it('serves people with current contact details from memory once loaded, and asks the directory once for callers at the same time', async () => {
    await db.collection('people').insertOne({ _id: 'cleo' as never, version: 2, locale: 'sv-SE', email: 'cleo@example.test', displayName: 'Cleo', contactVersion: 2 });
    let fetches = 0;
    const contacts: DirectoryContactSource = {
      fetch: async (personId) => {
        fetches++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { email: `${personId}@example.test`, displayName: personId, locale: 'en-GB', version: 0 };
      },
      fetchUnit: async () => undefined,
    };
    const directory = new DirectoryProjection(db, contacts);
    await directory.load();
    // Loaded at start: answered without the database.
    await db.collection('people').deleteOne({ _id: 'cleo' as never });
    expect(await directory.person('cleo')).toEqual({ personId: 'cleo', email: 'cleo@example.test', displayName: 'Cleo', locale: 'sv-SE' });
    // Unknown here: one request to the directory for both callers, then from memory.
    const [first, second] = await Promise.all([directory.person('dora'), directory.person('dora')]);
    expect(first).toEqual(second);
    expect(await directory.person('dora')).toMatchObject({ email: 'dora@example.test' });
    expect(fetches).toBe(1);
    // A change on the topic: the next use reads the new version (its contact is fetched again).
    await directory.applyPersonChanged({ personId: 'dora', version: 1, locale: 'sv-SE' });
    expect(await directory.person('dora')).toMatchObject({ email: 'dora@example.test', locale: 'en-GB' });
    expect(fetches).toBe(2);
  });

  it('knows a person from memory, the projection or the directory API; "no" only when the API says so, unknown when it cannot be asked', async () => {
    const fetched: string[] = [];
    let answer: 'up' | 'down' = 'up';
    const contacts: DirectoryContactSource = {
      fetch: async (personId) => {
        fetched.push(personId);
        if (answer === 'down') return undefined;
        return personId === 'ghost' ? 'not-found' : { email: `${personId}@example.test`, displayName: personId, locale: 'en-GB', version: 0 };
      },
      fetchUnit: async () => undefined,
    };
    const directory = new DirectoryProjection(db, contacts);
    // Registered by the topic (no contact details yet): known without the API's answer.
    await directory.applyPersonChanged({ personId: 'erik', version: 0, locale: 'sv-SE' });
    answer = 'down';
    await expect(directory.knows('erik')).resolves.toBe(true);
    // Not in the projection, and the API does not answer: unknown, not "no".
    await expect(directory.knows('frida')).rejects.toThrow(DirectoryUnavailableError);
    await expect(directory.knows('ghost')).rejects.toThrow(/cannot be asked whether ghost exists/);
    answer = 'up';
    // The projection lags the directory: the API knows Frida, and then she is in memory.
    await expect(directory.knows('frida')).resolves.toBe(true);
    await expect(directory.knows('ghost')).resolves.toBe(false);
    fetched.length = 0;
    await expect(directory.knows('frida')).resolves.toBe(true);
    expect(await directory.person('frida')).toMatchObject({ email: 'frida@example.test' });
    expect(await directory.person('ghost')).toBeUndefined();
    expect(fetched).toEqual(['ghost']);
  });

  it('role facts name the holder who is away, so the deputy is told', async () => {
    const now = Date.now();
    const directory = new DirectoryProjection(db, noContacts);
    await directory.applyPersonChanged({ personId: 'holder', version: 0, locale: 'sv-SE', absences: [{ from: iso(now - DAY), to: iso(now + DAY) }] });
    const mandate = { mandateId: 'm-1', delegateId: 'holder', deputyId: 'deputy', status: 'active', period: { from: iso(now - 30 * DAY), until: iso(now + 30 * DAY) }, scope: { unitId: 'support' }, taskType: 'case-distribution' };
    const projection = { assertFresh: () => undefined, mandatesOfTaskType: () => [{ mandate, version: 2 }], unit: () => ({ managerIds: ['ana'] }) } as unknown as AuthorityProjection;
    const roles = new ProjectionRoleDirectory(projection, async () => undefined, directory);
    expect(roles.roleFacts('case-distribution', 'support', iso(now)).absentPersonIds).toEqual(['holder']);
    expect(roles.roleFacts('case-distribution', 'support', iso(now + 2 * DAY)).absentPersonIds).toEqual([]);
  });
});
