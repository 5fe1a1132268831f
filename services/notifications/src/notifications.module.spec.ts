import { DirectoryUnavailableError, RolesNotFreshError, UnknownRecipientError } from '@leadership/notifications-application';
import { defaultErrorMappers, type ProblemDetails } from '@leadership/platform-nest';
import { notificationsErrorMappers } from './notifications.module';

/** The problem the service's filter answers for an error: its own mappers first, then the platform's (as PlatformModule orders them). */
const problemOf = (error: unknown): ProblemDetails | undefined => {
  for (const map of [...notificationsErrorMappers, ...defaultErrorMappers]) {
    const problem = map(error);
    if (problem) return problem;
  }
  return undefined;
};

describe('notifications error mappers (POST /notifications refusals)', () => {
  it('a person the directory does not know: 422 with the rule, naming them', () => {
    expect(problemOf(new UnknownRecipientError(['ghost']))).toMatchObject({ status: 422, rule: 'notification.recipient-unknown', details: { personIds: ['ghost'] }, detail: expect.stringContaining('ghost') });
  });

  it('a directory that cannot be asked: 503 (the filter adds Retry-After), not a guess', () => {
    expect(problemOf(new DirectoryUnavailableError('ben', 'the directory service does not answer'))).toMatchObject({ status: 503, detail: expect.stringMatching(/cannot be asked whether ben exists/) });
  });

  it('mandates that went stale between the check and the resolution: 503 (the request is kept; a keyed retry answers its recipients)', () => {
    expect(problemOf(new RolesNotFreshError('Role addresses wait for fresh mandates: 4200 ms behind'))).toMatchObject({ status: 503, detail: expect.stringMatching(/^Role addresses wait for fresh mandates/) });
  });
});
