
/*
 * iCalendar (RFC 5545) text for sessions (onboarding's feeds; the invitations notifications e-mails), written by hand because it is small and must be
 * pure: an invitation for one session (iTIP METHOD:REQUEST or CANCEL, RFC 5546) and a person's
 * subscribable feed. The rules that trip calendar clients are all here: CRLF line ends, lines folded
 * at 75 octets (not characters) without splitting a UTF-8 sequence, TEXT escaping of `\ ; ,` and
 * newlines, quoted parameter values, times in UTC, and a stable UID whose SEQUENCE rises with every
 * change, so a client updates the event instead of adding a second one.
 */

const CRLF = '\r\n';
const MAX_OCTETS = 75;
export const ICALENDAR_PRODID = '-//leadership//onboarding//EN';

/** A person as a calendar names them (the application resolves ids to addresses from the directory). */
export interface CalendarParty {
  readonly email: string;
  readonly name: string | null;
}

export type ParticipationStatus = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';

export interface CalendarAttendee extends CalendarParty {
  readonly partstat: ParticipationStatus;
  /** The presenter chairs the session; newcomers take part. */
  readonly role: 'CHAIR' | 'REQ-PARTICIPANT';
}

/** One session as a calendar event. */
export interface SessionCalendarEvent {
  readonly sessionId: string;
  readonly sequence: number;
  readonly status: 'scheduled' | 'cancelled';
  readonly title: string;
  readonly from: string;
  readonly to: string;
  readonly location: string | null;
  readonly link: string | null;
  readonly organiser: CalendarParty;
  readonly attendees: readonly CalendarAttendee[];
}

/** The UID of a session's event: stable for its whole life, so every update and the CANCEL find the same event. */
export const sessionUid = (sessionId: string): string => `session-${sessionId}@leadership`;

/** UTF-8 length of one code point. */
const octets = (codePoint: number): number => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * Folds a content line into physical lines of at most 75 octets (RFC 5545 §3.1): every continuation
 * starts with one space, which counts towards its 75. Splits only between code points.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = octets(char.codePointAt(0) ?? 0);
    if (size + length > MAX_OCTETS) {
      lines.push(current);
      current = ' ';
      size = 1;
    }
    current += char;
    size += length;
  }
  lines.push(current);
  return lines.join(CRLF);
}

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and every kind of line break as `\n`. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A parameter value (RFC 5545 §3.2): it may not hold a double quote or control characters at all,
 * and is quoted when it holds `:` `;` or `,` (a name like "Berg, Ana").
 */
function paramValue(text: string): string {
  // Control characters (below 0x20, and DEL) would end or corrupt the line: dropped.
  const clean = [...text].filter((char) => char !== '"' && (char.codePointAt(0) ?? 0) >= 0x20 && char !== '\u007f').join('');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** `20261026T090000Z`: every time in UTC, so no VTIMEZONE is needed and no client guesses a zone. */
export function utcDateTime(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

const mailto = (party: CalendarParty): string => `mailto:${party.email}`;
const cn = (party: CalendarParty): string => (party.name === null ? '' : `;CN=${paramValue(party.name)}`);

/** The content lines of one VEVENT (unfolded). */
function eventLines(event: SessionCalendarEvent, dtstamp: string, withAttendees: boolean): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${sessionUid(event.sessionId)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcDateTime(dtstamp)}`,
    `DTSTART:${utcDateTime(event.from)}`,
    `DTEND:${utcDateTime(event.to)}`,
    `SUMMARY:${escapeText(event.title)}`,
  ];
  if (event.location !== null) lines.push(`LOCATION:${escapeText(event.location)}`);
  // URL is a URI value, not TEXT: it is not escaped (a comma in a link stays a comma).
  if (event.link !== null) lines.push(`URL:${event.link}`);
  lines.push(`ORGANIZER${cn(event.organiser)}:${mailto(event.organiser)}`);
  if (withAttendees) {
    for (const attendee of event.attendees) {
      lines.push(`ATTENDEE${cn(attendee)};ROLE=${attendee.role};PARTSTAT=${attendee.partstat}:${mailto(attendee)}`);
    }
  }
  lines.push(`STATUS:${event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  return lines;
}

const document = (lines: readonly string[]): string => lines.map(foldLine).join(CRLF) + CRLF;

/**
 * The invitation for one session: METHOD:REQUEST while it is scheduled (each update at its new
 * SEQUENCE), METHOD:CANCEL with STATUS:CANCELLED when it is removed — also sent to a presenter who
 * no longer presents it. `dtstamp` is when the message is made (it arrives on the command).
 */
export function sessionInvitation(event: SessionCalendarEvent, method: 'REQUEST' | 'CANCEL', dtstamp: string): string {
  const cancelled: SessionCalendarEvent = method === 'CANCEL' ? { ...event, status: 'cancelled' } : event;
  return document(['BEGIN:VCALENDAR', `PRODID:${ICALENDAR_PRODID}`, 'VERSION:2.0', 'CALSCALE:GREGORIAN', `METHOD:${method}`, ...eventLines(cancelled, dtstamp, true), 'END:VCALENDAR']);
}

/**
 * A person's subscribable feed (`GET /calendars/{personId}.ics`): their scheduled sessions, no METHOD
 * (a feed is published, not an iTIP message) and no attendees (the feed URL is shared with calendar
 * services; it should not spread colleagues' addresses). A cancelled session is left out: a
 * subscribing client removes what the feed no longer holds.
 */
export function personalFeed(calendarName: string, events: readonly SessionCalendarEvent[], dtstamp: string): string {
  const scheduled = events.filter((event) => event.status === 'scheduled').sort((a, b) => Date.parse(a.from) - Date.parse(b.from) || a.sessionId.localeCompare(b.sessionId));
  return document([
    'BEGIN:VCALENDAR',
    `PRODID:${ICALENDAR_PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(calendarName)}`,
    ...scheduled.flatMap((event) => eventLines(event, dtstamp, false)),
    'END:VCALENDAR',
  ]);
}

/** What a session's calendar event is made of: the event with its people as ids, resolved to addresses by `partyOf`. */
export interface SessionFacts extends Omit<SessionCalendarEvent, 'organiser' | 'attendees'> {
  readonly organiserId: string;
  readonly presenterId: string | null;
  readonly attendeeIds: readonly string[];
}

/**
 * The calendar event of a session, with the parties the application resolved: the organiser, the
 * newcomers (asked to attend) and the confirmed presenter (chair, accepted). `partyOf` returns
 * undefined for a person without an address, who is then left out rather than invited at a guess.
 */
export function sessionCalendarEvent(session: SessionFacts, partyOf: (personId: string) => CalendarParty | undefined): SessionCalendarEvent | undefined {
  const organiser = partyOf(session.organiserId);
  if (!organiser) return undefined;
  const attendees: CalendarAttendee[] = [];
  if (session.presenterId !== null) {
    const presenter = partyOf(session.presenterId);
    if (presenter) attendees.push({ ...presenter, role: 'CHAIR', partstat: 'ACCEPTED' });
  }
  for (const personId of session.attendeeIds) {
    const newcomer = partyOf(personId);
    if (newcomer) attendees.push({ ...newcomer, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' });
  }
  const { sessionId, sequence, status, title, from, to, location, link } = session;
  return { sessionId, sequence, status, title, from, to, location, link, organiser, attendees };
}
