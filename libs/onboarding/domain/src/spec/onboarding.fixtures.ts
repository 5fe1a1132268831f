import type { DecisionStamp } from '../lib/shared/onboarding-vocabulary';
import type { StepInput } from '../lib/step/step-definition';

/* Shared test data of the onboarding domain specs (one place, so each spec states only what it varies). */

export const T0 = '2026-10-19T07:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** Cleo, the onboarding manager of unit support, on her mandate. */
export const CLEO: DecisionStamp = { basis: 'mandate', mandateId: 'mandate-onb', mandateVersion: 2, actorId: 'person-cleo' };
/** Ana, the formal manager of unit support. */
export const ANA: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' };

export const STOCKHOLM = 'Europe/Stockholm';

export const session = (key: string, extra: Partial<StepInput> = {}): StepInput => ({
  key,
  kind: 'session',
  title: `Session ${key}`,
  dayOffset: 0,
  time: '10:00',
  durationMinutes: 60,
  ...extra,
});

export const task = (key: string, extra: Partial<StepInput> = {}): StepInput => ({ key, kind: 'task', title: `Task ${key}`, dayOffset: 0, owner: 'newcomer', ...extra });
