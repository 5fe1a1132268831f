import type { Collection, Db } from 'mongodb';
import { skillKey, type OnboardingPeople } from '@leadership/onboarding-application';
import type { KnownPerson } from '@leadership/onboarding-domain';
import { applyIfNewer } from '@leadership/projection';

interface PersonDocument {
  _id: string;
  /** `PersonChanged.version` applied (the guard of every write). */
  version: number;
  unitIds: string[];
  skills: string[];
  /** The skills as they compare (trimmed, lower case): what `withSkill` queries. */
  skillKeys: string[];
  absences: { from: string; to: string }[];
}

/**
 * `directory_people`: the onboarding context's projection of the directory's people — one
 * document per person with memberships, skills and absences, written by the directory consumer
 * only when the message's version is newer (`applyIfNewer`), so redelivery is harmless. Bounded:
 * a person's absences are the directory's (the delegation service keeps the current ones).
 */
export class MongoOnboardingPeople implements OnboardingPeople {
  private readonly people: Collection<PersonDocument>;

  constructor(db: Db) {
    this.people = db.collection<PersonDocument>('directory_people');
  }

  async init(): Promise<void> {
    await this.people.createIndex({ skillKeys: 1 });
  }

  async person(personId: string): Promise<KnownPerson | undefined> {
    const doc = await this.people.findOne({ _id: personId });
    return doc ? toPerson(doc) : undefined;
  }

  async withSkill(skill: string): Promise<KnownPerson[]> {
    const docs = await this.people.find({ skillKeys: skillKey(skill) }).toArray();
    return docs.map(toPerson).sort((a, b) => a.personId.localeCompare(b.personId));
  }

  save(person: KnownPerson): Promise<'applied' | 'stale'> {
    const { personId, version, unitIds, skills, absences } = person;
    return applyIfNewer(
      this.people,
      personId,
      version,
      { unitIds: [...unitIds], skills: [...skills], skillKeys: [...new Set(skills.map(skillKey))], absences: absences.map(({ from, to }) => ({ from, to })) },
      { field: 'version' },
    );
  }
}

const toPerson = (doc: PersonDocument): KnownPerson => ({ personId: doc._id, version: doc.version, unitIds: doc.unitIds ?? [], skills: doc.skills ?? [], absences: doc.absences ?? [] });
