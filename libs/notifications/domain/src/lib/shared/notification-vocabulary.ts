/*
 * Words every aggregate of the notifications context shares: channels, categories, why a person
 * is a recipient, and digest cadences.
 */

/** How a notification reaches someone: the person's inbox, an e-mail, or a department's webhook. */
export const CHANNELS = ['in-app', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a person can switch per category (webhooks belong to subscriptions, not people). */
export interface ChannelSwitches {
  readonly inApp: boolean;
  readonly email: boolean;
}

/**
 * Why someone receives a notification: addressed by person id (`direct`), as the holder of the
 * mandate a role address resolved to (`mandate`), as that mandate's deputy (`deputy`), as a formal
 * manager of the unit (`formal-manager`), or as a webhook subscription (`subscription`).
 */
export const RECIPIENT_BASES = ['direct', 'mandate', 'deputy', 'formal-manager', 'subscription'] as const;
export type RecipientBasis = (typeof RECIPIENT_BASES)[number];

/** How often a category is bundled into one e-mail; `off` sends each notification on its own. */
export const DIGEST_CADENCES = ['off', 'hourly', 'daily'] as const;
export type DigestCadence = (typeof DIGEST_CADENCES)[number];

/** Categories are kebab-case keys (`mandates`, `cases`, `onboarding`); preferences are kept per category. */
export const isCategory = (value: unknown): value is string => typeof value === 'string' && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(value) && value.length <= 50;

/** Text that is empty after trimming. */
export const blank = (text: string | null | undefined): boolean => text === undefined || text === null || text.trim().length === 0;

/**
 * Values that may fill a template variable: plain JSON scalars, or a list of ids (a session's
 * attendees), printed comma-separated. No objects: templates print, they do not iterate.
 */
export type TemplateValue = string | number | boolean | null | readonly string[];

/** The variables of a notification (ids, titles, instants, links), JSON data. */
export type TemplateData = Readonly<Record<string, TemplateValue>>;

/**
 * An e-mail that is a calendar message (iTIP, RFC 5546): REQUEST invites or updates, CANCEL
 * withdraws. The dispatcher writes the `text/calendar` part from the notification's facts when it
 * sends (the session's facts name people by id; addresses are looked up then).
 */
export type CalendarMethod = 'REQUEST' | 'CANCEL';
