import { escapeText, foldLine, personalFeed, sessionCalendarEvent, sessionInvitation, sessionUid, utcDateTime, type CalendarParty, type SessionCalendarEvent, type SessionFacts } from './icalendar';

const octets = (line: string): number => [...line].reduce((sum, char) => sum + ((char.codePointAt(0) ?? 0) < 0x80 ? 1 : (char.codePointAt(0) ?? 0) < 0x800 ? 2 : (char.codePointAt(0) ?? 0) < 0x10000 ? 3 : 4), 0);
/** RFC 5545 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string): string => text.replace(/\r\n[ \t]/g, '');

const CLEO: CalendarParty = { email: 'cleo@example.com', name: 'Cleo Berg' };
const event: SessionCalendarEvent = {
  sessionId: 's-1',
  sequence: 2,
  status: 'scheduled',
  title: 'How cases are distributed',
  from: '2026-10-26T09:00:00.000Z',
  to: '2026-10-26T10:00:00+00:00',
  location: 'Room Vänern, floor 2',
  link: null,
  organiser: CLEO,
  attendees: [
    { email: 'ben@example.com', name: 'Ben', role: 'CHAIR', partstat: 'ACCEPTED' },
    { email: 'nina@example.com', name: 'Nina Öberg', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' },
  ],
};

describe('iCalendar writer', () => {
  it('writes an invitation with the exact lines calendar clients expect', () => {
    expect(sessionInvitation(event, 'REQUEST', '2026-10-20T08:12:00.000Z')).toBe(
      [
        'BEGIN:VCALENDAR',
        'PRODID:-//leadership//onboarding//EN',
        'VERSION:2.0',
        'CALSCALE:GREGORIAN',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:session-s-1@leadership',
        'SEQUENCE:2',
        'DTSTAMP:20261020T081200Z',
        'DTSTART:20261026T090000Z',
        'DTEND:20261026T100000Z',
        'SUMMARY:How cases are distributed',
        'LOCATION:Room Vänern\\, floor 2',
        'ORGANIZER;CN=Cleo Berg:mailto:cleo@example.com',
        'ATTENDEE;CN=Ben;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:ben@example.com',
        // 75 octets: Ö takes two.
        'ATTENDEE;CN=Nina Öberg;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:n',
        ' ina@example.com',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('cancels under the same UID with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const text = sessionInvitation({ ...event, sequence: 3 }, 'CANCEL', '2026-10-21T08:00:00.000Z');
    expect(text).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(text).toContain(`\r\nUID:${sessionUid('s-1')}\r\nSEQUENCE:3\r\n`);
    expect(text).toContain('\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n');
  });

  it('escapes backslash, semicolon, comma and every kind of newline in TEXT, and quotes parameter values', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    const text = sessionInvitation({ ...event, title: 'Q&A; tools, tips\nand "more"', organiser: { email: 'ana@example.com', name: 'Berg, Ana "the boss"' }, attendees: [] }, 'REQUEST', event.from);
    expect(text).toContain('\r\nSUMMARY:Q&A\\; tools\\, tips\\nand "more"\r\n');
    expect(text).toContain('\r\nORGANIZER;CN="Berg, Ana the boss":mailto:ana@example.com\r\n');
  });

  it('writes a link as URL without TEXT escaping', () => {
    expect(sessionInvitation({ ...event, location: null, link: 'https://meet.example.com/a,b' }, 'REQUEST', event.from)).toContain('\r\nURL:https://meet.example.com/a,b\r\n');
  });

  it('folds at 75 octets, counting UTF-8 bytes and never splitting a character', () => {
    const title = `${'Välkommen till supporten – '.repeat(6)}🎉 slut`;
    const folded = foldLine(`SUMMARY:${escapeText(title)}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    lines.slice(1).forEach((line) => expect(line.startsWith(' ')).toBe(true));
    expect(unfold(folded)).toBe(`SUMMARY:${title}`);
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    // A two-octet character that would end at octet 76 goes to the next line whole.
    expect(foldLine(`${'x'.repeat(74)}ä`)).toBe(`${'x'.repeat(74)}\r\n ä`);
  });

  it('writes every time in UTC', () => {
    expect(utcDateTime('2026-10-25T02:30:00+02:00')).toBe('20261025T003000Z');
  });

  it('writes a person\'s feed: scheduled sessions in time order, no METHOD, no attendees', () => {
    const later = { ...event, sessionId: 's-2', sequence: 0, from: '2026-10-27T09:00:00.000Z', to: '2026-10-27T09:30:00.000Z', location: null };
    const cancelled = { ...event, sessionId: 's-3', status: 'cancelled' as const };
    const feed = personalFeed('Onboarding: Ben', [later, cancelled, event], '2026-10-20T08:00:00.000Z');
    expect(feed).not.toContain('METHOD:');
    expect(feed).not.toContain('ATTENDEE');
    expect(feed).not.toContain('session-s-3@');
    expect(feed.indexOf('UID:session-s-1@leadership')).toBeLessThan(feed.indexOf('UID:session-s-2@leadership'));
    expect(feed.startsWith('BEGIN:VCALENDAR\r\nPRODID:-//leadership//onboarding//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:Onboarding: Ben\r\nBEGIN:VEVENT\r\n')).toBe(true);
    expect(feed.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(personalFeed('Empty', [], '2026-10-20T08:00:00.000Z')).toBe('BEGIN:VCALENDAR\r\nPRODID:-//leadership//onboarding//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:Empty\r\nEND:VCALENDAR\r\n');
  });

  it('makes the event of a session from the parties the application resolves, leaving out people without an address', () => {
    const session: SessionFacts & Record<string, unknown> = {
      status: 'scheduled',
      sessionId: 's-1',
      planId: 'person-nina',
      stepKey: 'how-cases',
      unitId: 'unit-support',
      organiserId: 'person-cleo',
      attendeeIds: ['person-nina', 'person-unknown'],
      presenterId: 'person-ben',
      bookingId: 'b-1',
      sequence: 2,
      changedAt: '2026-10-20T08:12:00.000Z',
      title: event.title,
      from: event.from,
      to: event.to,
      location: event.location,
      link: null,
      capacity: null,
      presenterSlot: null,
    };
    const parties: Record<string, CalendarParty> = { 'person-cleo': CLEO, 'person-ben': { email: 'ben@example.com', name: 'Ben' }, 'person-nina': { email: 'nina@example.com', name: 'Nina Öberg' } };
    expect(sessionCalendarEvent(session, (id) => parties[id])).toEqual(event);
    expect(sessionCalendarEvent(session, () => undefined)).toBeUndefined();
  });
});
