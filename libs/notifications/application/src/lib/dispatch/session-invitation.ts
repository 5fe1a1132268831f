import { sessionCalendarEvent, sessionInvitation, type CalendarParty, type SessionFacts } from '@leadership/icalendar';
import type { CalendarMethod, TemplateData } from '@leadership/notifications-domain';
import type { PeopleDirectory } from '../ports/notification.ports';

/** The `text/calendar` part of an e-mail, as the mailer attaches it. */
export interface CalendarPart {
  readonly method: CalendarMethod;
  readonly content: string;
}

const text = (data: TemplateData, key: string): string | null => {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : null;
};

/**
 * The session's facts as the consumed SessionChanged gave them (see the source consumer), or
 * undefined when a fact the calendar needs is missing. A CANCEL to a presenter who no longer
 * presents a session that goes on (`sessionStatus` scheduled) names only them, the attendee it
 * withdraws (RFC 5546 §3.2.5: the organiser cancels for a removed attendee); a cancelled session's
 * CANCEL names everyone.
 */
export function sessionFactsOf(data: TemplateData, method: CalendarMethod): SessionFacts | undefined {
  const [sessionId, title, from, to, organiserId] = ['sessionId', 'title', 'start', 'end', 'organiserId'].map((key) => text(data, key));
  const sequence = data['sequence'];
  if (!sessionId || !title || !from || !to || !organiserId || typeof sequence !== 'number') return undefined;
  const attendees = data['attendeeIds'];
  const presenterId = text(data, 'presenterId') ?? (method === 'CANCEL' ? text(data, 'formerPresenterId') : null);
  const withdrawsPresenterOnly = method === 'CANCEL' && text(data, 'sessionStatus') === 'scheduled';
  return {
    sessionId,
    sequence,
    status: method === 'CANCEL' ? 'cancelled' : 'scheduled',
    title,
    from,
    to,
    location: text(data, 'location'),
    link: text(data, 'link'),
    organiserId,
    presenterId,
    attendeeIds: Array.isArray(attendees) && !withdrawsPresenterOnly ? attendees : [],
  };
}

/**
 * The iCalendar invitation (or cancellation) of a session notification, written at send time: the
 * people are named by id in the facts and looked up in the directory now, so the message carries
 * their current addresses. The UID and SEQUENCE are the ones onboarding's feeds serve, so a calendar
 * that has the event from the feed updates it from the e-mail. Undefined when the facts are not a
 * session's, or the organiser has no address (a calendar message without an organiser is refused
 * by clients): the e-mail then goes without the part.
 */
export async function sessionInvitationPart(data: TemplateData, method: CalendarMethod, people: PeopleDirectory, dtstamp: string): Promise<CalendarPart | undefined> {
  const facts = sessionFactsOf(data, method);
  if (!facts) return undefined;
  const ids = [facts.organiserId, ...(facts.presenterId ? [facts.presenterId] : []), ...facts.attendeeIds];
  const parties = new Map<string, CalendarParty>();
  for (const id of new Set(ids)) {
    const person = await people.person(id);
    if (person?.email) parties.set(id, { email: person.email, name: person.displayName });
  }
  const event = sessionCalendarEvent(facts, (id) => parties.get(id));
  return event ? { method, content: sessionInvitation(event, method, dtstamp) } : undefined;
}
