import type { Db, Collection } from 'mongodb';
import { DirectoryUnavailableError, type KnownPeople, type PeopleDirectory, type PersonContact } from '@leadership/notifications-application';
import { applyIfNewer } from '@leadership/projection';

/** `people`: who notifications address, from the directory topic (locale) and the directory API (contact). */
interface PersonDocument {
  _id: string;
  /** `PersonChanged.version` applied (the guard of every write). */
  version: number;
  locale: string;
  /** Contact details as the directory API answered for `contactVersion`; refetched when the person changed since. */
  email: string | null;
  displayName: string | null;
  contactVersion: number | null;
  /** Periods `[from, to)` the person is away (from `PersonChanged`; absent on documents of messages that did not carry them). */
  absences?: readonly AbsencePeriod[];
}

/** A period a person is away, as the directory publishes it (no reason: that stays with HR). */
export interface AbsencePeriod {
  readonly from: string;
  readonly to: string;
}

/** `units`: names for texts ("the case manager of Support"). */
interface UnitDocument {
  _id: string;
  version: number;
  name: string;
}

/** A person's contact details as the directory's owner answers them. */
export interface DirectoryContact {
  readonly email: string | null;
  readonly displayName: string | null;
  readonly locale: string | null;
  readonly version: number | null;
}

/** Reads a person's contact details, or a unit's name, from the directory's owner (the delegation service). */
export interface DirectoryContactSource {
  /** The person; `'not-found'` when the directory says there is no such person; undefined when it could not be asked. */
  fetch(personId: string): Promise<DirectoryContact | 'not-found' | undefined>;
  fetchUnit(unitId: string): Promise<{ readonly name: string; readonly version: number } | undefined>;
}

/**
 * The notifications service's projection of the directory. Integration events carry ids and
 * locales only (names and e-mail addresses are personal data and stay in the delegation service),
 * so the projection keeps what `PersonChanged` and `UnitChanged` say — version-guarded, so
 * redelivery is harmless — and fetches a person's contact details from the directory API the first
 * time they are needed after a change, caching them beside the version they belong to. Addresses
 * are resolved at send time from here and never written into events.
 */
export class DirectoryProjection implements PeopleDirectory, KnownPeople {
  private readonly people: Collection<PersonDocument>;
  private readonly units: Collection<UnitDocument>;
  private readonly unitNames = new Map<string, string>();
  /** Units the directory API did not name, until when they are not asked for again (ms since epoch). */
  private readonly unknownUnits = new Map<string, number>();
  private static readonly UNKNOWN_UNIT_MS = 60_000;
  /**
   * People whose contact details are current, by id, in memory: every delivery needs its
   * recipient's locale and address, and names in texts need people too — one database round trip
   * each otherwise (with FerretDB also the most expensive part of a notification after the writes).
   * Filled at start from the stored projection (one scan; like the authority projection's mandates),
   * and by every lookup since; dropped per person when the topic says the person changed (the
   * next use reads the new version). The dispatcher is the one writer (one replica), so no other
   * instance's copy can go stale. Bounded: past CACHE_LIMIT people it starts over (about 300 bytes
   * each).
   */
  private readonly cache = new Map<string, PersonContact>();
  private static readonly CACHE_LIMIT = 100_000;
  /**
   * Lookups under way, by person: callers asking for the same person meanwhile share one (a
   * notification's resolution, texts and send ask at about the same time). A PersonChanged drops
   * the entry, and a lookup whose entry is gone when it ends is not cached (it may predate the change).
   */
  private readonly lookingUp = new Map<string, Promise<LookedUp>>();
  /**
   * Absence periods of the people who have any, in memory: role resolution asks for them
   * synchronously at every send (a holder away → the deputy). Loaded at start, kept with every
   * applied PersonChanged; periods that ended are dropped as they are read.
   */
  private readonly absences = new Map<string, readonly AbsencePeriod[]>();

  constructor(
    db: Db,
    private readonly contacts: DirectoryContactSource,
  ) {
    this.people = db.collection<PersonDocument>('people');
    this.units = db.collection<UnitDocument>('units');
  }

  /**
   * Loads unit names, people with current contact details and the absences to come into memory
   * (texts are rendered, recipients addressed and roles resolved without a query).
   */
  async load(): Promise<void> {
    for (const unit of await this.units.find({}).toArray()) this.unitNames.set(unit._id, unit.name);
    for await (const person of this.people.find({})) {
      if (person.absences && person.absences.length > 0) this.keepAbsences(person._id, person.absences);
      if (this.cache.size < DirectoryProjection.CACHE_LIMIT && isCurrent(person) && person.email) this.cache.set(person._id, this.contactOf(person));
    }
  }

  /**
   * A person's locale and absences, version-guarded. A message without `absences` (published before
   * the directory had them) leaves the known periods as they are: unknown is not "none".
   */
  async applyPersonChanged(data: { readonly personId: string; readonly version: number; readonly locale: string; readonly absences?: readonly AbsencePeriod[] | undefined }): Promise<void> {
    const absences = data.absences?.map(({ from, to }) => ({ from, to }));
    const outcome = await applyIfNewer(this.people, data.personId, data.version, { locale: data.locale, ...(absences ? { absences } : {}) }, { field: 'version' });
    if (outcome === 'applied' && absences) this.keepAbsences(data.personId, absences);
    this.cache.delete(data.personId);
    this.lookingUp.delete(data.personId);
  }

  /** The people among `personIds` who are away at `at` (role resolution: a holder away is stood in for by the deputy). */
  absentAmong(personIds: readonly string[], at: string): readonly string[] {
    const moment = Date.parse(at);
    return personIds.filter((personId) => (this.absences.get(personId) ?? []).some((period) => Date.parse(period.from) <= moment && moment < Date.parse(period.to)));
  }

  private keepAbsences(personId: string, periods: readonly AbsencePeriod[]): void {
    const now = Date.now();
    const current = periods.filter((period) => Date.parse(period.to) > now);
    if (current.length > 0) this.absences.set(personId, current);
    else this.absences.delete(personId);
  }

  async applyUnitChanged(data: { readonly unitId: string; readonly version: number; readonly name: string }): Promise<void> {
    const outcome = await applyIfNewer(this.units, data.unitId, data.version, { name: data.name }, { field: 'version' });
    if (outcome === 'applied') this.unitNames.set(data.unitId, data.name);
    this.unknownUnits.delete(data.unitId);
  }

  /**
   * The unit's name: from the topic, or — before the topic brought it — from the directory API
   * (then kept). A unit the API does not know (or cannot answer for) is not asked for again for a
   * minute: every text that names it would otherwise wait for that request.
   */
  async unitName(unitId: string): Promise<string | undefined> {
    const known = this.unitNames.get(unitId);
    if (known !== undefined) return known;
    if (unitId === '' || (this.unknownUnits.get(unitId) ?? 0) > Date.now()) return undefined;
    const fetched = await this.contacts.fetchUnit(unitId);
    if (!fetched) {
      if (this.unknownUnits.size >= DirectoryProjection.CACHE_LIMIT) this.unknownUnits.clear();
      this.unknownUnits.set(unitId, Date.now() + DirectoryProjection.UNKNOWN_UNIT_MS);
      return undefined;
    }
    await this.applyUnitChanged({ unitId, version: fetched.version, name: fetched.name });
    return fetched.name;
  }

  async person(personId: string): Promise<PersonContact | undefined> {
    const found = this.cache.get(personId) ?? (await this.shared(personId));
    return typeof found === 'string' ? undefined : found;
  }

  /**
   * Does the directory know the person (`POST /notifications` asks before accepting)? The same
   * lookup as `person`: memory, the projection (the topic registered them), then the directory's
   * owner — the projection may lag behind it. A "no" only from the owner itself; when it cannot
   * be asked, DirectoryUnavailableError.
   */
  async knows(personId: string): Promise<boolean> {
    if (this.cache.has(personId)) return true;
    const found = await this.shared(personId);
    if (found === 'unreachable') throw new DirectoryUnavailableError(personId, 'the directory service does not answer');
    return found !== 'not-found';
  }

  /** One lookup per person at a time, shared by everyone asking meanwhile. */
  private shared(personId: string): Promise<LookedUp> {
    const pending = this.lookingUp.get(personId);
    if (pending) return pending;
    const started: Promise<LookedUp> = this.lookUp(personId).then(
      (found) => {
        if (this.lookingUp.get(personId) !== started) return found;
        this.lookingUp.delete(personId);
        if (typeof found !== 'string' && found.email) {
          if (this.cache.size >= DirectoryProjection.CACHE_LIMIT) this.cache.clear();
          this.cache.set(personId, found);
        }
        return found;
      },
      (error: unknown) => {
        if (this.lookingUp.get(personId) === started) this.lookingUp.delete(personId);
        throw error;
      },
    );
    this.lookingUp.set(personId, started);
    return started;
  }

  private async lookUp(personId: string): Promise<LookedUp> {
    // By id, one at a time: FerretDB answers `{ _id: { $in } }` by scanning the collection (measured: 58 ms for 20 of 2,000 people, 1 ms for one findOne).
    const stored = await this.people.findOne({ _id: personId });
    if (stored && isCurrent(stored)) return this.contactOf(stored);
    // First use since a change (or a person the topic has not brought yet): ask the directory's owner.
    const fetched = await this.contacts.fetch(personId);
    if (fetched === 'not-found' || fetched === undefined) return stored ? this.contactOf(stored) : (fetched ?? 'unreachable');
    const version = fetched.version ?? stored?.version ?? 0;
    const contact = { email: fetched.email, displayName: fetched.displayName, contactVersion: version, locale: fetched.locale ?? stored?.locale ?? 'en-GB' };
    try {
      await this.people.updateOne({ _id: personId }, { $set: contact, $setOnInsert: { version } }, { upsert: true });
    } catch (error) {
      // The topic's upsert of the same person won the insert: the contact goes onto its document.
      if ((error as { code?: unknown }).code !== 11000) throw error;
      await this.people.updateOne({ _id: personId }, { $set: contact });
    }
    return { personId, email: contact.email, displayName: contact.displayName, locale: contact.locale };
  }

  private contactOf(doc: PersonDocument): PersonContact {
    return { personId: doc._id, email: doc.email ?? null, displayName: doc.displayName ?? null, locale: doc.locale };
  }
}

/** A person found, or why not: the directory said there is no such person, or it could not be asked. */
type LookedUp = PersonContact | 'not-found' | 'unreachable';

/** The stored contact details belong to the person's current version (else they are fetched again). */
const isCurrent = (doc: PersonDocument): boolean => doc.contactVersion !== null && doc.contactVersion >= doc.version;

/**
 * The delegation service's `GET /directory/people/{id}` with a `system` token (personal data: the
 * route answers the person, HR, systems and compliance only). 404: `'not-found'`. Unreachable,
 * refused or failing: undefined — unknown, not "no such person" — and the e-mail waits for its retry.
 */
export class HttpDirectoryContactSource implements DirectoryContactSource {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
    private readonly timeoutMs = 5_000,
  ) {}

  async fetch(personId: string): Promise<DirectoryContact | 'not-found' | undefined> {
    try {
      const response = await fetch(`${this.baseUrl}/directory/people/${encodeURIComponent(personId)}`, {
        headers: { Authorization: `Bearer ${await this.token()}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status === 404) return 'not-found';
      if (!response.ok) return undefined;
      const body = (await response.json()) as Record<string, unknown>;
      const text = (key: string): string | null => (typeof body[key] === 'string' ? (body[key] as string) : null);
      return { email: text('email'), displayName: text('displayName'), locale: text('locale'), version: typeof body['version'] === 'number' ? body['version'] : null };
    } catch {
      return undefined;
    }
  }

  async fetchUnit(unitId: string): Promise<{ name: string; version: number } | undefined> {
    try {
      const response = await fetch(`${this.baseUrl}/directory/units/${encodeURIComponent(unitId)}`, {
        headers: { Authorization: `Bearer ${await this.token()}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as Record<string, unknown>;
      return typeof body['name'] === 'string' ? { name: body['name'], version: typeof body['version'] === 'number' ? body['version'] : 0 } : undefined;
    } catch {
      return undefined;
    }
  }
}
