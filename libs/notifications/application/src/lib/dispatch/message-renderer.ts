import {
  isRenderTimeVariable,
  isTemplateKey,
  renderTemplate,
  templateFor,
  templateVariables,
  type MessageTemplate,
  type NotificationContent,
  type RenderContext,
  type RenderedMessage,
  type TemplateData,
  type TemplateValue,
} from '@leadership/notifications-domain';
import type { PeopleDirectory, RoleDirectory } from '../ports/notification.ports';

/** How names are printed: people's display names (people's inboxes and e-mails), or their ids (webhooks: no personal data to other systems). */
export type NameStyle = 'display-names' | 'ids';

/**
 * Renders a notification for one recipient: the template in their locale, filled with the stored
 * data and the render-time variables (names from the directory, the unit's name, the app's URL).
 * Names are looked up now, not stored: events carry ids, and a renamed person is printed by their
 * current name.
 */
export class MessageRenderer {
  constructor(
    private readonly people: PeopleDirectory,
    private readonly roles: RoleDirectory,
    private readonly appUrl: string,
  ) {}

  templateOf(content: NotificationContent, locale: string): MessageTemplate {
    if ('template' in content) return isTemplateKey(content.template) ? templateFor(content.template, locale) : { subject: content.template, body: '' };
    return content;
  }

  async render(content: NotificationContent, data: TemplateData, context: RenderContext, names: NameStyle = 'display-names'): Promise<RenderedMessage> {
    const template = this.templateOf(content, context.locale);
    return renderTemplate(template, await this.withRenderTimeVariables(template, data, names), context);
  }

  /** Fills `appUrl`, `unitName` (from `unitId`) and every `<x>Name` from the person in `<x>Id`. */
  async withRenderTimeVariables(template: MessageTemplate, data: TemplateData, names: NameStyle): Promise<TemplateData> {
    const filled: Record<string, TemplateValue> = { ...data };
    for (const variable of templateVariables(template).filter(isRenderTimeVariable)) {
      if (variable === 'appUrl') {
        filled[variable] = this.appUrl;
        continue;
      }
      const stem = variable.slice(0, -'Name'.length);
      const id = data[`${stem}Id`];
      if (typeof id !== 'string') continue;
      if (stem === 'unit') filled[variable] = await this.roles.unitName(id);
      else filled[variable] = names === 'ids' ? id : ((await this.people.person(id))?.displayName ?? id);
    }
    return filled;
  }
}
