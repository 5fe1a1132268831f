import type { MessageTemplate } from './render-template';

/*
 * The texts of the workflows, per locale. Short and concrete: what happened, what to do, a link.
 * Names (`…Name`) and `appUrl` are filled when rendering (see isRenderTimeVariable); everything else
 * comes from the notification's data, which the workflow takes from the source event.
 */

/** Locales every template has; a person's directory locale falls back to the first. */
export const TEMPLATE_LOCALES = ['en-GB', 'sv-SE'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];
export const FALLBACK_LOCALE: TemplateLocale = 'en-GB';

type Texts = Readonly<Record<TemplateLocale, MessageTemplate>>;

const link = (path: string): string => `{{appUrl}}${path}`;
const MANDATE = link('/mandates/{{mandateId}}');

/** Every template by key (a workflow key, or `digest`). */
export const NOTIFICATION_TEMPLATES = {
  'mandate.proposed': {
    'en-GB': {
      // No article before the task type: 'a onboarding mandate' is what the first version sent.
      subject: '{{delegatorName}} proposes a mandate for you: {{taskType}}',
      body: `{{delegatorName}} would like to hand you the task {{taskType}} in {{unitName}} from {{from|date}} to {{until|date}}.\n\nRead the direction and the framework, then accept or decline:\n${MANDATE}`,
    },
    'sv-SE': {
      subject: '{{delegatorName}} föreslår ett {{taskType}}-uppdrag åt dig',
      body: `{{delegatorName}} vill lämna över uppgiften {{taskType}} i {{unitName}} till dig från {{from|date}} till {{until|date}}.\n\nLäs inriktningen och ramarna och tacka sedan ja eller nej:\n${MANDATE}`,
    },
  },
  'mandate.accepted': {
    'en-GB': { subject: '{{delegateName}} accepted the {{taskType}} mandate', body: `{{delegateName}} accepted the {{taskType}} mandate for {{unitName}}. It starts on {{from|date}}.\n\n${MANDATE}` },
    'sv-SE': { subject: '{{delegateName}} har tackat ja till {{taskType}}-uppdraget', body: `{{delegateName}} har tackat ja till {{taskType}}-uppdraget för {{unitName}}. Det börjar gälla {{from|date}}.\n\n${MANDATE}` },
  },
  'mandate.declined': {
    'en-GB': { subject: '{{delegateName}} declined the {{taskType}} mandate', body: `{{delegateName}} declined the {{taskType}} mandate for {{unitName}}. The task stays with you until someone else takes it.\n\n${MANDATE}` },
    'sv-SE': { subject: '{{delegateName}} har tackat nej till {{taskType}}-uppdraget', body: `{{delegateName}} har tackat nej till {{taskType}}-uppdraget för {{unitName}}. Uppgiften ligger kvar hos dig tills någon annan tar den.\n\n${MANDATE}` },
  },
  'mandate.activated': {
    'en-GB': { subject: 'The {{taskType}} mandate is in force', body: `The {{taskType}} mandate of {{delegateName}} for {{unitName}} is in force from today until {{until|date}}.\n\n${MANDATE}` },
    'sv-SE': { subject: '{{taskType}}-uppdraget gäller nu', body: `{{taskType}}-uppdraget för {{delegateName}} i {{unitName}} gäller från i dag till {{until|date}}.\n\n${MANDATE}` },
  },
  'mandate.review-due': {
    'en-GB': { subject: 'Time to review the {{taskType}} mandate', body: `The {{taskType}} mandate of {{delegateName}} for {{unitName}} is due for review. Go through the direction and the framework together and record a check-in:\n${MANDATE}` },
    'sv-SE': { subject: 'Dags att följa upp {{taskType}}-uppdraget', body: `{{taskType}}-uppdraget för {{delegateName}} i {{unitName}} ska följas upp. Gå igenom inriktningen och ramarna tillsammans och registrera avstämningen:\n${MANDATE}` },
  },
  'mandate.expiring': {
    'en-GB': { subject: 'The {{taskType}} mandate ends in {{daysBefore}} days', body: `The {{taskType}} mandate of {{delegateName}} for {{unitName}} ends on {{until|date}}. Extend it, or plan the hand-over:\n${MANDATE}` },
    'sv-SE': { subject: '{{taskType}}-uppdraget upphör om {{daysBefore}} dagar', body: `{{taskType}}-uppdraget för {{delegateName}} i {{unitName}} upphör {{until|date}}. Förläng det eller planera överlämningen:\n${MANDATE}` },
  },
  'mandate.ended': {
    'en-GB': { subject: 'The {{taskType}} mandate has ended', body: `The {{taskType}} mandate of {{delegateName}} for {{unitName}} ended on {{endedAt|date}}. The task is back with the formal manager until someone else takes it on.\n\n${MANDATE}` },
    'sv-SE': { subject: '{{taskType}}-uppdraget har upphört', body: `{{taskType}}-uppdraget för {{delegateName}} i {{unitName}} upphörde {{endedAt|date}}. Uppgiften ligger hos chefen tills någon annan tar över den.\n\n${MANDATE}` },
  },
  'mandate.reconfirmation-needed': {
    'en-GB': {
      subject: 'Confirm or revoke the {{taskType}} mandate of {{delegateName}}',
      body: `{{delegatorName}} no longer manages {{unitName}}, so the {{taskType}} mandate given to {{delegateName}} needs a formal manager to confirm or revoke it:\n${MANDATE}`,
    },
    'sv-SE': {
      subject: 'Bekräfta eller återkalla {{taskType}}-uppdraget för {{delegateName}}',
      body: `{{delegatorName}} är inte längre chef för {{unitName}}, så {{taskType}}-uppdraget som {{delegateName}} fick behöver bekräftas eller återkallas av en chef:\n${MANDATE}`,
    },
  },
  'case.sla-at-risk': {
    'en-GB': { subject: 'Case {{caseId}} is about to miss its {{target}} target', body: `Case {{caseId}} in queue {{queueId}} misses its {{target}} target at {{dueAt|datetime}} unless someone takes it now:\n${link('/cases/{{caseId}}')}` },
    'sv-SE': { subject: 'Ärende {{caseId}} riskerar att missa målet ({{target}})', body: `Ärende {{caseId}} i kön {{queueId}} missar målet ({{target}}) {{dueAt|datetime}} om ingen tar det nu:\n${link('/cases/{{caseId}}')}` },
  },
  'case.offered': {
    'en-GB': { subject: 'A case is offered to you', body: `Case {{caseId}} in queue {{queueId}} is yours to take until {{expiresAt|datetime}}. Accept or decline it:\n${link('/cases/{{caseId}}')}` },
    'sv-SE': { subject: 'Du erbjuds ett ärende', body: `Ärende {{caseId}} i kön {{queueId}} väntar på dig till {{expiresAt|datetime}}. Ta det eller tacka nej:\n${link('/cases/{{caseId}}')}` },
  },
  'case.framework-warning': {
    'en-GB': { subject: 'A case decision went outside the framework', body: `A decision on case {{caseId}} went ahead with a warning from the framework of the mandate you gave. Have a look and talk it through:\n${link('/cases/{{caseId}}')}` },
    'sv-SE': { subject: 'Ett beslut i ett ärende gick utanför ramarna', body: `Ett beslut i ärende {{caseId}} togs trots en varning från ramarna i uppdraget du gav. Titta på det och prata igenom det:\n${link('/cases/{{caseId}}')}` },
  },
  'onboarding.booking-requested': {
    'en-GB': { subject: 'Can you present {{topic}} on {{startsAt|date}}?', body: `{{organiserName}} asks you to present {{topic}} to a new colleague on {{startsAt|datetime}}. Confirm or decline:\n${link('/onboarding/bookings/{{bookingId}}')}` },
    'sv-SE': { subject: 'Kan du presentera {{topic}} {{startsAt|date}}?', body: `{{organiserName}} ber dig presentera {{topic}} för en ny kollega {{startsAt|datetime}}. Tacka ja eller nej:\n${link('/onboarding/bookings/{{bookingId}}')}` },
  },
  'onboarding.session-tomorrow': {
    'en-GB': { subject: 'Tomorrow: {{topic}}', body: `{{topic}} starts at {{startsAt|datetime}}, {{place}}.\n\n${link('/onboarding/sessions/{{sessionId}}')}` },
    'sv-SE': { subject: 'I morgon: {{topic}}', body: `{{topic}} börjar {{startsAt|datetime}}, {{place}}.\n\n${link('/onboarding/sessions/{{sessionId}}')}` },
  },
  'onboarding.task-due-soon': {
    'en-GB': { subject: 'Due in {{daysBefore}} days: {{stepKey}} for {{newcomerName}}', body: `The onboarding task {{stepKey}} of {{newcomerName}} is due on {{dueAt|datetime}}.\n${link('/onboarding/newcomers/{{newcomerId}}')}` },
    'sv-SE': { subject: 'Om {{daysBefore}} dagar: {{stepKey}} för {{newcomerName}}', body: `Introduktionsuppgiften {{stepKey}} för {{newcomerName}} ska vara klar {{dueAt|datetime}}.\n${link('/onboarding/newcomers/{{newcomerId}}')}` },
  },
  'onboarding.task-overdue': {
    'en-GB': { subject: 'Overdue: {{stepKey}} for {{newcomerName}}', body: `The onboarding task {{stepKey}} of {{newcomerName}} was due on {{dueAt|datetime}} and is not done. Please see that it gets an owner and is finished:\n${link('/onboarding/newcomers/{{newcomerId}}')}` },
    'sv-SE': { subject: 'Försenad: {{stepKey}} för {{newcomerName}}', body: `Introduktionsuppgiften {{stepKey}} för {{newcomerName}} skulle vara klar {{dueAt|datetime}} och är inte gjord. Se till att den får en ägare och blir klar:\n${link('/onboarding/newcomers/{{newcomerId}}')}` },
  },
  'onboarding.session-invitation': {
    'en-GB': { subject: 'Invitation: {{title}} on {{start|date}}', body: `{{title}}, {{start|datetime}} to {{end|datetime}}{{placeText}}. Organised by {{organiserName}}.\n\nThe invitation is attached for your calendar.\n${link('/onboarding/sessions/{{sessionId}}')}` },
    'sv-SE': { subject: 'Inbjudan: {{title}} {{start|date}}', body: `{{title}}, {{start|datetime}} till {{end|datetime}}{{placeText}}. Arrangör: {{organiserName}}.\n\nInbjudan är bifogad för din kalender.\n${link('/onboarding/sessions/{{sessionId}}')}` },
  },
  'onboarding.presenter-released': {
    'en-GB': { subject: 'You no longer present {{title}} on {{start|date}}', body: `{{title}} on {{start|datetime}} is no longer yours to present (the task passed to someone else, or you withdrew). It has been removed from your calendar.\n${link('/onboarding/sessions/{{sessionId}}')}` },
    'sv-SE': { subject: 'Du presenterar inte längre {{title}} {{start|date}}', body: `{{title}} {{start|datetime}} ska inte längre presenteras av dig (uppgiften gick till någon annan, eller så drog du dig ur). Det har tagits bort ur din kalender.\n${link('/onboarding/sessions/{{sessionId}}')}` },
  },
  'onboarding.session-cancelled': {
    'en-GB': { subject: 'Cancelled: {{title}} on {{start|date}}', body: `{{organiserName}} cancelled {{title}} on {{start|datetime}}. It has been removed from your calendar.\n${link('/onboarding/sessions/{{sessionId}}')}` },
    'sv-SE': { subject: 'Inställt: {{title}} {{start|date}}', body: `{{organiserName}} har ställt in {{title}} {{start|datetime}}. Det har tagits bort ur din kalender.\n${link('/onboarding/sessions/{{sessionId}}')}` },
  },
  digest: {
    'en-GB': { subject: '{{count}} notifications since your last summary', body: `Here is what happened:\n\n{{items}}\n\nYour inbox: ${link('/inbox')}` },
    'sv-SE': { subject: '{{count}} aviseringar sedan förra sammanfattningen', body: `Det här har hänt:\n\n{{items}}\n\nDin inkorg: ${link('/inbox')}` },
  },
} as const satisfies Readonly<Record<string, Texts>>;

export type TemplateKey = keyof typeof NOTIFICATION_TEMPLATES;

export const isTemplateKey = (key: string): key is TemplateKey => Object.prototype.hasOwnProperty.call(NOTIFICATION_TEMPLATES, key);

/**
 * The locale a person's texts are in: their directory locale when a template has it, else one of
 * the same language (`sv` or `sv-FI` → `sv-SE`), else en-GB.
 */
export function templateLocale(locale: string): TemplateLocale {
  const exact = TEMPLATE_LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase());
  const language = locale.split(/[-_]/)[0]?.toLowerCase();
  return exact ?? TEMPLATE_LOCALES.find((l) => l.split('-')[0] === language) ?? FALLBACK_LOCALE;
}

/** The template of `key` in the person's locale (with the fallback above). */
export const templateFor = (key: TemplateKey, locale: string): MessageTemplate => NOTIFICATION_TEMPLATES[key][templateLocale(locale)];
