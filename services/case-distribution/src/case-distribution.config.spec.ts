import { ConfigError } from '@leadership/platform-runtime';
import { caseDistributionOptionsFromEnv } from './case-distribution.config';

describe('caseDistributionOptionsFromEnv', () => {
  it('leaves the composition root defaults when nothing is set', () => {
    expect(caseDistributionOptionsFromEnv({})).toEqual({});
    expect(caseDistributionOptionsFromEnv({ CASE_DISTRIBUTION_AUTHORITY_GROUP: '', CASE_DISTRIBUTION_ROUTING_INTERVAL_MS: '' })).toEqual({});
  });

  it('reads the consumer groups and the routing interval', () => {
    expect(
      caseDistributionOptionsFromEnv({ CASE_DISTRIBUTION_AUTHORITY_GROUP: 'cd.authority-2', CASE_DISTRIBUTION_INTAKE_GROUP: 'cd_intake', CASE_DISTRIBUTION_ONBOARDING_GROUP: 'cd-onb', CASE_DISTRIBUTION_ROUTING_INTERVAL_MS: '100' }),
    ).toEqual({ authorityGroup: 'cd.authority-2', intakeGroup: 'cd_intake', onboardingGroup: 'cd-onb', routingIntervalMs: 100 });
  });

  it('refuses a group id Kafka would not take and an interval that is not a bounded integer', () => {
    expect(() => caseDistributionOptionsFromEnv({ CASE_DISTRIBUTION_INTAKE_GROUP: 'has space' })).toThrow(ConfigError);
    expect(() => caseDistributionOptionsFromEnv({ CASE_DISTRIBUTION_ROUTING_INTERVAL_MS: '-5' })).toThrow(/CASE_DISTRIBUTION_ROUTING_INTERVAL_MS/);
    expect(() => caseDistributionOptionsFromEnv({ CASE_DISTRIBUTION_ROUTING_INTERVAL_MS: '600000' })).toThrow(ConfigError);
  });
});
