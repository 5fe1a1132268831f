import { FORMAL_MANAGER_ROLE, roleAddress } from '../recipient/recipient-address';
import type { CalendarMethod, ChannelSwitches, TemplateData } from '../shared/notification-vocabulary';
import { notificationIdForSourceEvent } from '../stream-names';
import type { RequestNotification } from '../notification/notification.commands';
import type { TemplateKey } from '../template/notification-templates';

/*
 * Workflows: what each source event becomes. The domain may not import other contexts' contracts,
 * so sources are named by their CloudEvent type and the value of their `change`/`kind` field, and the
 * application maps each consumed contract to flat `SourceFacts` (ids, instants, the unit; never
 * names or e-mail addresses). Recipients are fields of those facts holding a person id, or role
 * addresses built from a fact (the unit), resolved at send time.
 */

/** CloudEvent types of the consumed contracts (checked against them by the application's spec). */
export const SOURCE_TYPES = {
  mandateChanged: 'leadership.delegation.mandate-changed.v1',
  mandateReminderDue: 'leadership.delegation.mandate-reminder-due.v1',
  caseAssignment: 'leadership.cases.case-assignment.v1',
  caseChanged: 'leadership.cases.case-changed.v1',
  onboardingBooking: 'leadership.onboarding.booking-changed.v1',
  onboardingSession: 'leadership.onboarding.session-changed.v1',
  onboardingSessionReminder: 'leadership.onboarding.session-reminder-due.v1',
  onboardingTaskReminder: 'leadership.onboarding.task-reminder-due.v1',
} as const;

/** Flat facts of a source event, as the application maps them (e.g. mandateId, delegateId, unitId, until). */
export type SourceFacts = TemplateData;

/** A recipient of a workflow: the person in a fact, the people in a fact holding a list (attendees), or a role in the unit a fact names. */
export type WorkflowRecipient =
  | { readonly person: string }
  | { readonly people: string }
  /** A fact holding a whole address: a person id or a role address the source chose (a reminder's recipient). */
  | { readonly address: string }
  | { readonly role: string; readonly unitFact: string };


/** What a source event becomes. */
export interface Workflow {
  /** Also the template key and the webhook event type. */
  readonly key: TemplateKey;
  readonly sourceType: string;
  /** Values of the source's `change` or `kind` field that start this workflow. */
  readonly kinds: readonly string[];
  readonly category: 'mandates' | 'cases' | 'onboarding';
  readonly critical: boolean;
  readonly channels: ChannelSwitches;
  readonly recipients: readonly WorkflowRecipient[];
  /** The e-mails carry an iCalendar invitation (and are never put into a digest, which would lose it). */
  readonly calendar?: CalendarMethod;
}

const BOTH: ChannelSwitches = { inApp: true, email: true };
const delegate = { person: 'delegateId' };
const delegator = { person: 'delegatorId' };
const deputy = { person: 'deputyId' };

/**
 * The workflows. Critical: a mandate that ends (the delegate must stop acting on it), a mandate
 * whose delegator left (its validity is in question) and a case about to break its SLA; they
 * cannot be switched off and do not wait for quiet hours or digests. Case offers expire within
 * minutes, so they go to the inbox only by default (an e-mail would arrive after the offer).
 */
export const WORKFLOWS: readonly Workflow[] = [
  { key: 'mandate.proposed', sourceType: SOURCE_TYPES.mandateChanged, kinds: ['proposed'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegate] },
  { key: 'mandate.accepted', sourceType: SOURCE_TYPES.mandateChanged, kinds: ['accepted'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegator] },
  { key: 'mandate.declined', sourceType: SOURCE_TYPES.mandateChanged, kinds: ['declined'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegator] },
  { key: 'mandate.activated', sourceType: SOURCE_TYPES.mandateChanged, kinds: ['activated'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegate, delegator, deputy] },
  {
    key: 'mandate.ended',
    sourceType: SOURCE_TYPES.mandateChanged,
    kinds: ['revoked', 'relinquished', 'expired', 'completed'],
    category: 'mandates',
    critical: true,
    channels: BOTH,
    recipients: [delegate, delegator, deputy],
  },
  {
    key: 'mandate.reconfirmation-needed',
    sourceType: SOURCE_TYPES.mandateChanged,
    kinds: ['flagged-for-reconfirmation'],
    category: 'mandates',
    critical: true,
    channels: BOTH,
    recipients: [{ role: FORMAL_MANAGER_ROLE, unitFact: 'unitId' }],
  },
  { key: 'mandate.review-due', sourceType: SOURCE_TYPES.mandateReminderDue, kinds: ['review-reminder'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegate, delegator] },
  { key: 'mandate.expiring', sourceType: SOURCE_TYPES.mandateReminderDue, kinds: ['expiry-reminder'], category: 'mandates', critical: false, channels: BOTH, recipients: [delegate, delegator] },
  {
    key: 'case.sla-at-risk',
    sourceType: SOURCE_TYPES.caseAssignment,
    kinds: ['sla-at-risk'],
    category: 'cases',
    critical: true,
    channels: BOTH,
    recipients: [{ role: 'case-distribution', unitFact: 'unitId' }],
  },
  { key: 'case.offered', sourceType: SOURCE_TYPES.caseAssignment, kinds: ['offered'], category: 'cases', critical: false, channels: { inApp: true, email: false }, recipients: [{ person: 'agentId' }] },
  // `warnTo`: the delegator of the mandate the warned decision relied on (its stamp names the mandate), or the unit's formal managers when the service does not know that mandate.
  { key: 'case.framework-warning', sourceType: SOURCE_TYPES.caseChanged, kinds: ['framework-warning-recorded'], category: 'cases', critical: false, channels: BOTH, recipients: [{ address: 'warnTo' }] },
  { key: 'onboarding.booking-requested', sourceType: SOURCE_TYPES.onboardingBooking, kinds: ['requested'], category: 'onboarding', critical: false, channels: BOTH, recipients: [{ person: 'presenterId' }] },
  {
    key: 'onboarding.session-tomorrow',
    sourceType: SOURCE_TYPES.onboardingSessionReminder,
    kinds: ['session-tomorrow'],
    category: 'onboarding',
    critical: false,
    channels: BOTH,
    recipients: [{ person: 'newcomerId' }, { person: 'presenterId' }],
  },
  // A task reminder names its recipient: the task's owner, or a role of the unit resolved at send time (see the source consumer).
  { key: 'onboarding.task-due-soon', sourceType: SOURCE_TYPES.onboardingTaskReminder, kinds: ['task-due-soon'], category: 'onboarding', critical: false, channels: BOTH, recipients: [{ address: 'recipient' }] },
  {
    key: 'onboarding.task-overdue',
    sourceType: SOURCE_TYPES.onboardingTaskReminder,
    kinds: ['task-overdue', 'task-overdue-escalated'],
    category: 'onboarding',
    critical: false,
    channels: BOTH,
    recipients: [{ address: 'recipient' }],
  },
  /*
   * Calendar invitations for sessions, from onboarding's SessionChanged (its state after each change,
   * with the iCalendar SEQUENCE): the presenter and the newcomers get the event whenever it is made or
   * changes what they see; a presenter who no longer presents it (released when the role changed
   * hands, or withdrew) gets a CANCEL; a cancelled session is cancelled for everyone. E-mail only by
   * default: the calendar is where people look; the inbox has the booking request itself.
   */
  {
    key: 'onboarding.session-invitation',
    sourceType: SOURCE_TYPES.onboardingSession,
    kinds: ['scheduled', 'revised', 'presenter-assigned', 'handed-over'],
    category: 'onboarding',
    critical: false,
    channels: { inApp: false, email: true },
    recipients: [{ person: 'presenterId' }, { people: 'attendeeIds' }],
    calendar: 'REQUEST',
  },
  {
    key: 'onboarding.presenter-released',
    sourceType: SOURCE_TYPES.onboardingSession,
    kinds: ['presenter-unassigned'],
    category: 'onboarding',
    critical: false,
    channels: BOTH,
    recipients: [{ person: 'formerPresenterId' }],
    calendar: 'CANCEL',
  },
  {
    key: 'onboarding.session-cancelled',
    sourceType: SOURCE_TYPES.onboardingSession,
    kinds: ['cancelled'],
    category: 'onboarding',
    critical: false,
    channels: BOTH,
    recipients: [{ person: 'presenterId' }, { person: 'formerPresenterId' }, { people: 'attendeeIds' }],
    calendar: 'CANCEL',
  },
];

/** The workflows a source event starts (none for the many events nobody needs to hear of). */
export const workflowsFor = (sourceType: string, kind: string): readonly Workflow[] => WORKFLOWS.filter((w) => w.sourceType === sourceType && w.kinds.includes(kind));

/** The addresses a workflow sends to, from the facts (a fact that is null or missing addresses nobody: a mandate without deputy). */
export function workflowAddresses(workflow: Workflow, facts: SourceFacts): readonly string[] {
  const addresses = workflow.recipients.flatMap((recipient): readonly string[] => {
    if ('address' in recipient) {
      const address = facts[recipient.address];
      return typeof address === 'string' && address !== '' ? [address] : [];
    }
    if ('people' in recipient) {
      const people = facts[recipient.people];
      return Array.isArray(people) ? people.filter((id) => id !== '') : [];
    }
    const value = 'person' in recipient ? facts[recipient.person] : facts[recipient.unitFact];
    if (typeof value !== 'string' || value === '') return [];
    return ['person' in recipient ? value : roleAddress(recipient.role, value)];
  });
  return [...new Set(addresses)];
}

/** The source event as the workflow's command needs it. */
export interface SourceEvent {
  /** CloudEvent type and id (`ce_id`): the id makes a redelivered event the same notification. */
  readonly type: string;
  readonly id: string;
  readonly facts: SourceFacts;
}

/**
 * The RequestNotification a workflow makes of a source event, or undefined when the facts address
 * nobody. The notification id is derived from the event id and the workflow, so a redelivery finds
 * the notification it made and changes nothing.
 */
export function workflowRequest(workflow: Workflow, source: SourceEvent, actorId: string, at: string): RequestNotification | undefined {
  const to = workflowAddresses(workflow, source.facts);
  if (to.length === 0) return undefined;
  return {
    type: 'RequestNotification',
    data: {
      notificationId: notificationIdForSourceEvent(source.id, workflow.key),
      actorId,
      at,
      source: { type: source.type, id: source.id },
      workflow: workflow.key,
      eventType: workflow.key,
      category: workflow.category,
      critical: workflow.critical,
      content: { template: workflow.key },
      data: source.facts,
      to,
      defaultChannels: workflow.channels,
      ...(workflow.calendar ? { calendar: workflow.calendar } : {}),
    },
  };
}

/** REST-triggered notifications run the `api` workflow; webhooks see them as `api.<category>`. */
export const API_WORKFLOW = 'api';
export const apiEventType = (category: string): string => `${API_WORKFLOW}.${category}`;
/** Channels of a REST-triggered notification for people who have not chosen. */
export const API_DEFAULT_CHANNELS: ChannelSwitches = BOTH;
