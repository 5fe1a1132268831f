import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { SmtpMailer } from './smtp.mailer';

interface MailpitSummary {
  ID: string;
  MessageID: string;
}

/* The mailer against the real local SMTP server (Mailpit), read back over Mailpit's API. */
describe('SmtpMailer (Mailpit)', () => {
  const { smtp, mailpit } = testInfra();

  it('delivers HTML and text parts with an iCalendar invitation, under the delivery’s Message-ID', async () => {
    const mailer = new SmtpMailer({ host: smtp.host, port: smtp.port, ignoreTls: true, from: 'Leadership <noreply@leadership.example>' });
    const messageId = `<${uniqueName('delivery')}@notifications.leadership>`;
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//leadership//onboarding//EN', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:session-1@leadership', 'SEQUENCE:0', 'DTSTAMP:20260302T090000Z', 'DTSTART:20260310T090000Z', 'DTEND:20260310T100000Z', 'SUMMARY:How cases are distributed', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const outcome = await mailer.send({ messageId, to: 'ben@example.test', subject: 'Invitation: How cases are distributed', text: 'You present on 10 March.', html: '<p>You present on <b>10 March</b>.</p>', calendar: { method: 'REQUEST', content: ics } });
    expect(outcome).toMatchObject({ delivered: true, responseCode: 250 });
    const found = await eventually(
      async () => {
        const res = await fetch(`${mailpit.apiUrl}/api/v1/search?query=${encodeURIComponent(`message-id:"${messageId.slice(1, -1)}"`)}`);
        const body = (await res.json()) as { messages: MailpitSummary[] };
        return body.messages[0];
      },
      { what: 'the mail in Mailpit' },
    );
    const raw = await (await fetch(`${mailpit.apiUrl}/api/v1/message/${found.ID}/raw`)).text();
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(raw).toMatch(/Content-Type: text\/html/i);
    expect(raw).toMatch(/Content-Type: text\/plain/i);
    mailer.close();
  });

  it('reports an unreachable server as a retryable failure instead of throwing', async () => {
    const mailer = new SmtpMailer({ host: '127.0.0.1', port: 1, from: 'noreply@leadership.example', timeoutMs: 2_000 });
    const outcome = await mailer.send({ messageId: '<x@y>', to: 'ben@example.test', subject: 's', text: 't', html: '<p>t</p>' });
    expect(outcome).toMatchObject({ delivered: false, retryable: true, responseCode: null });
    mailer.close();
  });
});
