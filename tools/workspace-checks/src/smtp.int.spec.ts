import { createTransport } from 'nodemailer';
import { eventually, testInfra, uniqueName } from '@leadership/testing';

interface MailpitMessage {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

/* Proves mail goes through a real SMTP server: sent with nodemailer, read back over Mailpit's API. */
describe('SMTP (Mailpit)', () => {
  it('delivers a message that can be read back with its body and attachment', async () => {
    const { smtp, mailpit } = testInfra();
    const transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
    const subject = uniqueName('smoke-subject');
    const info = await transport.sendMail({
      from: 'platform@example.test',
      to: 'newcomer@example.test',
      subject,
      text: 'Welcome aboard',
      attachments: [{ filename: 'session.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }],
    });
    expect(info.accepted).toEqual(['newcomer@example.test']);

    const found = await eventually(
      async () => {
        const res = await fetch(`${mailpit.apiUrl}/api/v1/search?query=${encodeURIComponent(`subject:"${subject}"`)}`);
        const body = (await res.json()) as { messages: MailpitMessage[] };
        return body.messages[0];
      },
      { what: 'message in Mailpit' },
    );
    expect(found.To[0]!.Address).toBe('newcomer@example.test');
    const full = (await (await fetch(`${mailpit.apiUrl}/api/v1/message/${found.ID}`)).json()) as {
      Text: string;
      Attachments: { FileName: string; ContentType: string }[];
    };
    expect(full.Text.trim()).toBe('Welcome aboard');
    expect(full.Attachments.map((a) => a.FileName)).toEqual(['session.ics']);
    transport.close();
  });
});
