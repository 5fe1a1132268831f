import type { TemplateData } from '@leadership/notifications-domain';
import type { PeopleDirectory, PersonContact } from '../ports/notification.ports';
import { sessionFactsOf, sessionInvitationPart } from './session-invitation';

const contacts: Record<string, PersonContact> = {
  'person-cleo': { personId: 'person-cleo', email: 'cleo@example.com', displayName: 'Cleo Berg', locale: 'sv-SE' },
  'person-ben': { personId: 'person-ben', email: 'ben@example.com', displayName: 'Ben', locale: 'en-GB' },
  'person-nina': { personId: 'person-nina', email: 'nina@example.com', displayName: 'Nina Öberg', locale: 'sv-SE' },
  'person-noaddress': { personId: 'person-noaddress', email: null, displayName: 'No Address', locale: 'en-GB' },
};
const people: PeopleDirectory = { person: async (id) => contacts[id] };

/** The facts the source consumer takes from SessionChanged. */
const facts: TemplateData = {
  sessionId: 's-1',
  unitId: 'unit-support',
  title: 'How cases are distributed',
  start: '2026-10-26T09:00:00.000Z',
  end: '2026-10-26T10:00:00.000Z',
  location: 'Room Vänern',
  link: null,
  placeText: ', Room Vänern',
  organiserId: 'person-cleo',
  attendeeIds: ['person-nina', 'person-noaddress'],
  presenterId: 'person-ben',
  formerPresenterId: null,
  sequence: 3,
};

const unfold = (text: string): string => text.replace(/\r\n[ \t]/g, '');

describe('session invitation part', () => {
  it('invites the presenter (chair) and the newcomers with the current addresses, under the session UID and SEQUENCE', async () => {
    const part = await sessionInvitationPart(facts, 'REQUEST', people, '2026-10-20T08:12:00.000Z');
    const lines = unfold(part?.content ?? '').split('\r\n');
    expect(part?.method).toBe('REQUEST');
    expect(lines).toEqual(expect.arrayContaining(['METHOD:REQUEST', 'UID:session-s-1@leadership', 'SEQUENCE:3', 'DTSTART:20261026T090000Z', 'STATUS:CONFIRMED', 'ORGANIZER;CN=Cleo Berg:mailto:cleo@example.com']));
    expect(lines.filter((line) => line.startsWith('ATTENDEE'))).toEqual([
      'ATTENDEE;CN=Ben;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:ben@example.com',
      'ATTENDEE;CN=Nina Öberg;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:nina@example.com',
    ]);
  });

  it('cancels for a released presenter of a session that goes on, naming only them as the attendee withdrawn', async () => {
    const part = await sessionInvitationPart({ ...facts, presenterId: null, formerPresenterId: 'person-ben', sessionStatus: 'scheduled', sequence: 4 }, 'CANCEL', people, '2026-10-21T08:00:00.000Z');
    const lines = unfold(part?.content ?? '').split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['METHOD:CANCEL', 'SEQUENCE:4', 'STATUS:CANCELLED']));
    expect(lines.filter((line) => line.startsWith('ATTENDEE'))).toEqual(['ATTENDEE;CN=Ben;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:ben@example.com']);
  });

  it('cancels a cancelled session for everyone', async () => {
    const part = await sessionInvitationPart({ ...facts, sessionStatus: 'cancelled', sequence: 5 }, 'CANCEL', people, '2026-10-21T08:00:00.000Z');
    expect(unfold(part?.content ?? '').split('\r\n').filter((line) => line.startsWith('ATTENDEE'))).toHaveLength(2);
  });

  it('writes no part for facts that are not a session, or an organiser without an address', async () => {
    expect(sessionFactsOf({ caseId: 'c-1' }, 'REQUEST')).toBeUndefined();
    expect(await sessionInvitationPart({ ...facts, sequence: '3' }, 'REQUEST', people, '2026-10-20T08:12:00.000Z')).toBeUndefined();
    expect(await sessionInvitationPart({ ...facts, organiserId: 'person-noaddress' }, 'REQUEST', people, '2026-10-20T08:12:00.000Z')).toBeUndefined();
  });
});
