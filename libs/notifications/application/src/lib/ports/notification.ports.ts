import type { AttemptOutcome, RoleFacts } from '@leadership/notifications-domain';

/*
 * What the notifications use cases need from outside, each as narrow as its one caller needs it.
 * Adapters live in the infrastructure layer (the people projection, the authority projection,
 * SMTP, HTTP).
 */

/** A person as notifications address them: contact details and locale, from the directory (never from events). */
export interface PersonContact {
  readonly personId: string;
  readonly email: string | null;
  readonly displayName: string | null;
  /** Directory locale (`sv-SE`); texts fall back to en-GB. */
  readonly locale: string;
}

/** The directory as the dispatcher reads it at send time. */
export interface PeopleDirectory {
  /** The person now, or undefined when the directory does not know them. */
  person(personId: string): Promise<PersonContact | undefined>;
}

/** Who a role in a unit resolves to now, and what units are called (from the mandates in force). */
export interface RoleDirectory {
  roleFacts(taskType: string, unitId: string, at: string): RoleFacts;
  /** The unit's name for texts (its id when the directory cannot say). */
  unitName(unitId: string): Promise<string>;
  /** Task type, unit and delegator of a mandate the service has seen (reminders and case decisions name the mandate only). */
  mandateScope(mandateId: string): { readonly taskType: string; readonly unitId: string; readonly delegatorId: string } | undefined;
}

/** One e-mail, rendered. */
export interface MailMessage {
  /** Stable per delivery or digest: a resend after a lost reply is recognisably the same mail. */
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** An iCalendar invitation or cancellation (`text/calendar; method=…`), for session notifications. */
  readonly calendar?: { readonly method: 'REQUEST' | 'CANCEL'; readonly content: string };
}

/** SMTP out; never throws, classifies (retryable or not) so the decider can decide retries. */
export interface MailSender {
  send(message: MailMessage): Promise<AttemptOutcome>;
}

/** One webhook request to sign and post. */
export interface WebhookRequest {
  readonly url: string;
  /** `webhook-id`: the delivery id. */
  readonly id: string;
  /** `webhook-timestamp`, Unix seconds of the attempt. */
  readonly timestamp: number;
  readonly body: string;
  /** Every secret in force (rotation overlap): one signature each. */
  readonly secrets: readonly string[];
}

/** Signs (Standard Webhooks) and posts with a timeout; never throws, classifies the response. */
export interface WebhookTransport {
  deliver(request: WebhookRequest): Promise<AttemptOutcome>;
}

/** Where new inbox items are announced to live subscribers (SSE). */
export interface InboxAnnouncer {
  announce(recipientId: string, item: unknown): void;
}
