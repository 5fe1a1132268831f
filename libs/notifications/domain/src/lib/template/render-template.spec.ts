import { NOTIFICATION_TEMPLATES, TEMPLATE_LOCALES, templateFor, templateLocale, type TemplateKey } from './notification-templates';
import { escapeHtml, missingVariables, renderTemplate, templateVariables } from './render-template';

const sv = { locale: 'sv-SE', timeZone: 'Europe/Stockholm' };
const en = { locale: 'en-GB', timeZone: 'Europe/London' };

describe('renderTemplate', () => {
  it('fills variables in subject, text and HTML, formatting instants in the recipient\'s locale and zone', () => {
    const message = renderTemplate({ subject: 'Hi {{ name }}', body: 'Ends {{until|date}} at {{until|datetime}}.' }, { name: 'Ben', until: '2026-07-01T00:00:00.000Z' }, sv);
    expect(message.subject).toBe('Hi Ben');
    expect(message.text).toBe('Ends 1 juli 2026 at 1 juli 2026 kl. 02:00.');
    expect(renderTemplate({ subject: '', body: '{{until|date}}' }, { until: '2026-07-01T00:00:00.000Z' }, en).text).toBe('1 July 2026');
  });

  it('escapes values (and the template) in the HTML part only, so data cannot add markup', () => {
    const message = renderTemplate({ subject: 'Case {{title}}', body: 'Title: {{title}} & more\n\nSee https://app.example/cases/1?a=1&b=2' }, { title: '<script>alert("x")</script>' }, en);
    expect(message.text).toBe('Title: <script>alert("x")</script> & more\n\nSee https://app.example/cases/1?a=1&b=2');
    expect(message.html).toBe(
      '<p>Title: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>\n<p>See <a href="https://app.example/cases/1?a=1&amp;b=2">https://app.example/cases/1?a=1&amp;b=2</a></p>',
    );
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });

  it('keeps subjects on one line, so a value cannot add mail headers', () => {
    expect(renderTemplate({ subject: 'Re: {{x}}', body: '' }, { x: 'a\r\nBcc: evil@example.com' }, en).subject).toBe('Re: a Bcc: evil@example.com');
  });

  it('lists variables and the stored ones missing (names and appUrl come at render time)', () => {
    const template = { subject: '{{delegatorName}} {{taskType}}', body: '{{appUrl}}/mandates/{{mandateId}} {{taskType}}' };
    expect(templateVariables(template)).toEqual(['delegatorName', 'taskType', 'appUrl', 'mandateId']);
    expect(missingVariables(template, { taskType: 'x' })).toEqual(['mandateId']);
  });
});

describe('notification templates', () => {
  const keys = Object.keys(NOTIFICATION_TEMPLATES) as TemplateKey[];

  it.each(keys)('%s has every locale, using the same variables', (key) => {
    const [first, ...others] = TEMPLATE_LOCALES.map((locale) => [...templateVariables(NOTIFICATION_TEMPLATES[key][locale])].sort());
    for (const variables of others) expect(variables).toEqual(first);
  });

  it('falls back by language, then to en-GB', () => {
    expect([templateLocale('sv-SE'), templateLocale('sv'), templateLocale('sv-FI'), templateLocale('de-DE'), templateLocale('EN-gb')]).toEqual(['sv-SE', 'sv-SE', 'sv-SE', 'en-GB', 'en-GB']);
    expect(templateFor('mandate.proposed', 'fi-FI')).toBe(NOTIFICATION_TEMPLATES['mandate.proposed']['en-GB']);
  });

  it('renders the proposal in English without an article before the task type (not "a onboarding mandate")', () => {
    const data = { mandateId: 'm-1', taskType: 'onboarding', from: '2026-04-01T00:00:00.000Z', until: '2026-10-01T00:00:00.000Z', delegatorName: 'Ana', unitName: 'Support', appUrl: 'https://app.example' };
    expect(renderTemplate(templateFor('mandate.proposed', 'en-GB'), data, en).subject).toBe('Ana proposes a mandate for you: onboarding');
  });

  it('renders the proposal in Swedish with its link', () => {
    const data = { mandateId: 'm-1', taskType: 'case-distribution', from: '2026-04-01T00:00:00.000Z', until: '2026-10-01T00:00:00.000Z', delegatorName: 'Ana', unitName: 'Support', appUrl: 'https://app.example' };
    const message = renderTemplate(templateFor('mandate.proposed', 'sv-SE'), data, sv);
    expect(message.subject).toBe('Ana föreslår ett case-distribution-uppdrag åt dig');
    expect(message.text).toContain('från 1 april 2026 till 1 oktober 2026');
    expect(message.html).toContain('<a href="https://app.example/mandates/m-1">');
  });
});
