import { MongoClient, type Db } from 'mongodb';
import { isolatedMongoUri } from '@leadership/testing';

/** A database of the suite's own: connected in beforeAll, dropped and closed in afterAll. */
export interface IsolatedMongo {
  readonly db: () => Db;
  readonly uri: () => string;
  readonly dbName: () => string;
}

export function useIsolatedMongo(prefix: string): IsolatedMongo {
  let client: MongoClient | undefined;
  let location: { uri: string; dbName: string } | undefined;
  beforeAll(async () => {
    location = isolatedMongoUri(prefix);
    client = await MongoClient.connect(location.uri);
  });
  afterAll(async () => {
    await client?.db(location?.dbName).dropDatabase().catch(() => undefined);
    await client?.close();
  });
  const ready = () => {
    if (!client || !location) throw new Error('useIsolatedMongo: the database is available from beforeAll on');
    return { client, location };
  };
  return {
    db: () => ready().client.db(ready().location.dbName),
    uri: () => ready().location.uri,
    dbName: () => ready().location.dbName,
  };
}
