import { ConfigError, envPrefix, intFromEnv } from '@leadership/platform-runtime';
import type { CaseDistributionServiceOptions } from './case-distribution.app';

const PREFIX = envPrefix('case-distribution');

/**
 * The service's own settings from the environment, beside the common ones (serviceConfigFromEnv):
 * - `CASE_DISTRIBUTION_AUTHORITY_GROUP`, `CASE_DISTRIBUTION_INTAKE_GROUP`, `CASE_DISTRIBUTION_ONBOARDING_GROUP`:
 *   Kafka consumer groups (defaults `case-distribution.authority`, `case-distribution.intake`,
 *   `case-distribution.onboarding`). A deployment keeps the
 *   defaults; a second stack on the same brokers, or a test that runs the service as a process
 *   beside others, needs its own, or it would share (and skip) the others' committed offsets.
 * - `CASE_DISTRIBUTION_ROUTING_INTERVAL_MS`: pause between routing passes when nothing nudges
 *   the dispatcher (default 250 ms; offer expiry, SLA and skill relaxation run on it).
 * Unset variables leave the composition root's defaults in place.
 */
export function caseDistributionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<CaseDistributionServiceOptions, 'authorityGroup' | 'intakeGroup' | 'onboardingGroup' | 'routingIntervalMs'> {
  const group = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(value)) throw new ConfigError(`${name}=${value} must be a Kafka group id of letters, digits, '.', '_' or '-'`);
    return value;
  };
  const authorityGroup = group(`${PREFIX}_AUTHORITY_GROUP`);
  const intakeGroup = group(`${PREFIX}_INTAKE_GROUP`);
  const onboardingGroup = group(`${PREFIX}_ONBOARDING_GROUP`);
  const interval = env[`${PREFIX}_ROUTING_INTERVAL_MS`];
  return {
    ...(authorityGroup ? { authorityGroup } : {}),
    ...(intakeGroup ? { intakeGroup } : {}),
    ...(onboardingGroup ? { onboardingGroup } : {}),
    ...(interval !== undefined && interval !== '' ? { routingIntervalMs: intFromEnv(env, `${PREFIX}_ROUTING_INTERVAL_MS`, 250, 60_000) } : {}),
  };
}
