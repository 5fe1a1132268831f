import type { Collection, Db } from 'mongodb';
import type { CalendarTokenStore } from '@leadership/onboarding-application';

interface CalendarTokenDocument {
  _id: string;
  tokenHash: string;
  rotatedAt: string;
}

/**
 * `calendar_tokens`: one document per person with the hash of their feed token (never the token).
 * A rotation replaces it in one single-document write; a revocation deletes it.
 */
export class MongoCalendarTokenStore implements CalendarTokenStore {
  private readonly tokens: Collection<CalendarTokenDocument>;

  constructor(db: Db) {
    this.tokens = db.collection<CalendarTokenDocument>('calendar_tokens');
  }

  async save(personId: string, tokenHash: string, at: string): Promise<void> {
    await this.tokens.replaceOne({ _id: personId }, { tokenHash, rotatedAt: at }, { upsert: true });
  }

  async hashOf(personId: string): Promise<string | undefined> {
    return (await this.tokens.findOne({ _id: personId }))?.tokenHash;
  }

  async revoke(personId: string): Promise<void> {
    await this.tokens.deleteOne({ _id: personId });
  }
}
