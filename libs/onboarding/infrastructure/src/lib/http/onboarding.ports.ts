import { Inject } from '@nestjs/common';

/** The authority check of the use cases (the service's projection of the mandates). */
export const ONBOARDING_AUTHORITY = Symbol('OnboardingAuthority');
export const InjectOnboardingAuthority = () => Inject(ONBOARDING_AUTHORITY);
