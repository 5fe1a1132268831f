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

/**
 * The directory cannot be asked about a person now (its owner is down, refuses the service's token,
 * or does not answer in time): whether the person exists is unknown, so nothing is decided on it.
 */
export class DirectoryUnavailableError extends Error {
  override readonly name = 'DirectoryUnavailableError';
  constructor(
    readonly personId: string,
    reason: string,
  ) {
    super(`The directory cannot be asked whether ${personId} exists (${reason}); retry shortly.`);
  }
}

/**
 * Role addresses cannot be resolved now: the mandates held are not known fresh (past the authority
 * freshness bound, or not loaded yet). Transient: the dispatcher leaves the work for a later pass
 * (and says so once in a while, not per item and pass); HTTP answers 503 with Retry-After.
 */
export class RolesNotFreshError extends Error {
  override readonly name = 'RolesNotFreshError';
}

/** The directory as `POST /notifications` asks it before accepting a request addressed to people. */
export interface KnownPeople {
  /**
   * Does the directory know the person? Asked the way the dispatcher finds people (memory, the
   * directory projection, then the directory's owner, which the projection may lag behind).
   * Throws DirectoryUnavailableError when the answer cannot be had: an unknown is not a "no".
   */
  knows(personId: string): Promise<boolean>;
}

/**
 * Whether role addresses may be resolved now: only from mandates known to be fresh (within the
 * authority freshness bound behind the delegation event store), or a revoked holder could still be told.
 */
export interface RoleFreshness {
  /** Throws (503 with Retry-After in HTTP terms) when roles cannot be resolved now; the caller asks again later. */
  assertFresh(): void;
}

/** Who a role in a unit resolves to now, and what units are called (from the mandates in force). */
export interface RoleDirectory {
  /**
   * The facts a role address resolves from at `at`. Throws RolesNotFreshError when the mandates
   * held are not known fresh: a role is never resolved from a stale projection (the dispatcher
   * leaves the notification or delivery for a later pass).
   */
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
