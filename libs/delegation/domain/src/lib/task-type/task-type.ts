/** Which part of a mandate's scope a task type needs besides the unit. */
export type RequiredScope = 'unit' | 'queue' | 'project';

/**
 * A leadership task type of the catalogue: what a mandate of this type may grant and how it may
 * be held. The key is also the id of the catalogue entry's stream and never changes.
 */
export interface TaskTypeDefinition {
  /** kebab-case, e.g. `case-distribution`. */
  readonly key: string;
  readonly title: string;
  /** Authorities a mandate of this type may grant (`area.action`, e.g. `cases.assign`); never empty. */
  readonly grantableAuthorities: readonly string[];
  /** At most one mandate of this type in force per scope (unit + queue + project). */
  readonly exclusive: boolean;
  /** The scope a mandate of this type must name: `project` means a projectId is required. */
  readonly requiredScope: RequiredScope;
  /**
   * Longest period, in whole days, from `from` to `until` (also after extensions). Days rather than
   * an ISO-8601 duration: a duration like P1M has no fixed length and would make the rule depend on
   * the calendar month the mandate starts in.
   */
  readonly maxPeriodDays: number;
  /** Whether a delegate holding a mandate of this type may hand (part of) it on. */
  readonly allowsRedelegation: boolean;
}

/** The catalogue the platform starts with; admins may change these and add more. */
export const DEFAULT_TASK_TYPES: readonly TaskTypeDefinition[] = [
  {
    key: 'case-distribution',
    title: 'Case distribution',
    grantableAuthorities: ['cases.assign', 'cases.prioritise', 'cases.reassign', 'cases.view-all'],
    exclusive: true,
    requiredScope: 'unit',
    maxPeriodDays: 366,
    allowsRedelegation: false,
  },
  {
    key: 'onboarding',
    title: 'Onboarding',
    grantableAuthorities: ['calendar.book', 'onboarding.book-presenter', 'onboarding.plan'],
    exclusive: false,
    requiredScope: 'unit',
    maxPeriodDays: 183,
    allowsRedelegation: true,
  },
  {
    key: 'shift-planning',
    title: 'Shift planning',
    grantableAuthorities: ['calendar.book', 'calendar.change', 'shifts.plan'],
    exclusive: true,
    requiredScope: 'unit',
    maxPeriodDays: 366,
    allowsRedelegation: false,
  },
  {
    key: 'coordination',
    title: 'Coordination',
    grantableAuthorities: ['tasks.reassign', 'tasks.view-all'],
    exclusive: false,
    requiredScope: 'unit',
    maxPeriodDays: 366,
    allowsRedelegation: false,
  },
  {
    key: 'project-lead',
    title: 'Project lead',
    grantableAuthorities: ['calendar.book', 'project.manage', 'tasks.view-all'],
    exclusive: true,
    requiredScope: 'project',
    maxPeriodDays: 731,
    allowsRedelegation: false,
  },
];

/** Longest period any task type may allow (10 years): mandates are always bounded. */
export const MAX_TASK_TYPE_PERIOD_DAYS = 3660;

export const TASK_TYPE_KEY_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** `area.action` (more dot-separated segments allowed), lower-case kebab segments. */
export const AUTHORITY_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$/;
