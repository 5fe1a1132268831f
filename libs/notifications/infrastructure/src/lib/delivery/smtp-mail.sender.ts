import type { MailMessage, MailSender } from '@leadership/notifications-application';
import type { AttemptOutcome } from '@leadership/notifications-domain';
import type { SmtpMailer } from './smtp.mailer';

/** The dispatcher's MailSender over the SMTP mailer: its classified outcome as the decider's AttemptOutcome. */
export class SmtpMailSender implements MailSender {
  constructor(private readonly mailer: Pick<SmtpMailer, 'send'>) {}

  async send(message: MailMessage): Promise<AttemptOutcome> {
    const outcome = await this.mailer.send(message);
    return outcome.delivered
      ? { kind: 'delivered', responseCode: outcome.responseCode }
      : { kind: 'failed', retryable: outcome.retryable, responseCode: outcome.responseCode, error: outcome.error };
  }
}
