import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onboardingAsyncApi } from '@leadership/onboarding-contracts';

describe('checked-in AsyncAPI document', () => {
  it('matches the contracts (after changing a contract: npx tsx tools/workspace-plugin/src/generators/service/write-asyncapi.ts . onboarding)', () => {
    const checkedIn = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8')) as unknown;
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(onboardingAsyncApi())));
  });

  it('documents every onboarding topic and event type', () => {
    const doc = JSON.stringify(onboardingAsyncApi());
    for (const name of ['leadership.onboarding.plans.v1', 'leadership.onboarding.plan-changed.v1', 'leadership.onboarding.sessions.v1', 'leadership.onboarding.presenter-unavailability-changed.v1', 'leadership.onboarding.bookings.v1', 'leadership.onboarding.booking-changed.v1', 'leadership.onboarding.reminders.v1']) expect(doc).toContain(name);
  });
});
