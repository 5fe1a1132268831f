import type { KnownPerson } from '@leadership/onboarding-domain';

/**
 * The onboarding context's projection of the directory's people (`PersonChanged` on the
 * delegation's directory topic): memberships, skills and absences, version-guarded per person.
 */
export interface OnboardingPeople {
  person(personId: string): Promise<KnownPerson | undefined>;
  /** The people with the skill (compared trimmed and case-insensitively), in person id order. */
  withSkill(skill: string): Promise<KnownPerson[]>;
  /** Stores the person if `version` is newer than the stored one (`stale`: it was not, nothing changed). */
  save(person: KnownPerson): Promise<'applied' | 'stale'>;
}

/** How skills compare: `Billing ` and `billing` are one skill. */
export const skillKey = (skill: string): string => skill.trim().toLowerCase();

/** The projection in memory (specs, tools); the service keeps it in MongoDB. */
export class InMemoryOnboardingPeople implements OnboardingPeople {
  private readonly people = new Map<string, KnownPerson>();

  async person(personId: string): Promise<KnownPerson | undefined> {
    return this.people.get(personId);
  }

  async withSkill(skill: string): Promise<KnownPerson[]> {
    const key = skillKey(skill);
    return [...this.people.values()].filter((person) => person.skills.some((candidate) => skillKey(candidate) === key)).sort((a, b) => a.personId.localeCompare(b.personId));
  }

  async save(person: KnownPerson): Promise<'applied' | 'stale'> {
    const stored = this.people.get(person.personId);
    if (stored && stored.version >= person.version) return 'stale';
    this.people.set(person.personId, person);
    return 'applied';
  }
}
