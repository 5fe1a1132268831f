import { DomainRuleError } from '@leadership/kernel';
import { isInstant } from '../shared/instant';
import type { TemplateData, TemplateValue } from '../shared/notification-vocabulary';

/*
 * A deliberately small template language: `{{name}}` prints a variable, `{{name|date}}` and
 * `{{name|datetime}}` print an instant in the recipient's locale and zone. No loops, no logic, no
 * raw HTML: texts are short, translators can read them, and nothing a sender puts in `data` can
 * change the markup (values are escaped in the HTML part; CR/LF are removed from subjects so a
 * value cannot add mail headers).
 */

/** A text with `{{variables}}`: the subject and the plain body; the HTML part is derived from the body. */
export interface MessageTemplate {
  readonly subject: string;
  readonly body: string;
}

/** A message ready for a channel: e-mail uses all three parts, the inbox subject and text. */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Who the message is rendered for: dates are printed in their locale and zone. */
export interface RenderContext {
  readonly locale: string;
  readonly timeZone: string;
}

const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*(?:\|\s*(date|datetime)\s*)?\}\}/g;

/**
 * Variables the application adds when rendering instead of storing them with the notification:
 * people's names (`delegatorName` for `delegatorId`; events carry ids, not names) and `appUrl`, the
 * public address of the client app (configuration, not a fact of the notification).
 */
export const isRenderTimeVariable = (name: string): boolean => name === 'appUrl' || /Name$/.test(name);

/** A template names a variable its data does not have (the notification would go out with a hole). */
export class TemplateVariableMissingError extends DomainRuleError {
  override readonly name = 'TemplateVariableMissingError';
  constructor(readonly variables: readonly string[]) {
    super('template.variable-missing', `the template needs data for ${variables.join(', ')}`, { variables });
  }
}

/** The variables a template uses, each once, in order of appearance. */
export function templateVariables(template: MessageTemplate): readonly string[] {
  const names = [...`${template.subject}\n${template.body}`.matchAll(VARIABLE)].map((m) => m[1] ?? '');
  return [...new Set(names)];
}

/** The variables a template needs from the notification's stored data (render-time ones excluded). */
export const missingVariables = (template: MessageTemplate, data: TemplateData): readonly string[] =>
  templateVariables(template).filter((name) => !isRenderTimeVariable(name) && !(name in data));

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function printed(value: TemplateValue | undefined, format: string | undefined, context: RenderContext): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (format && typeof value === 'string' && isInstant(value)) {
    const style: Intl.DateTimeFormatOptions = format === 'date' ? { dateStyle: 'long' } : { dateStyle: 'long', timeStyle: 'short' };
    return new Intl.DateTimeFormat(context.locale, { ...style, timeZone: context.timeZone }).format(new Date(value));
  }
  return String(value);
}

function substitute(text: string, data: TemplateData, context: RenderContext, escape: (s: string) => string): string {
  return text.replace(VARIABLE, (_match, name: string, format: string | undefined) => escape(printed(data[name], format, context)));
}

/** Paragraphs on blank lines, line breaks within them, links made clickable (after escaping, so no value adds markup). */
function toHtml(escapedText: string): string {
  const linked = escapedText.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  return linked
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.trim().replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * Renders a template for one recipient. Missing variables (render-time ones the caller forgot)
 * print as empty; the stored data was checked when the notification was requested.
 */
export function renderTemplate(template: MessageTemplate, data: TemplateData, context: RenderContext): RenderedMessage {
  const subject = substitute(template.subject, data, context, (s) => s).replace(/[\r\n]+/g, ' ').trim();
  const text = substitute(template.body, data, context, (s) => s);
  // The body template is escaped too: a literal '<' in a translation must not become markup either.
  const html = toHtml(substitute(escapeHtml(template.body), data, context, escapeHtml));
  return { subject, text, html };
}
