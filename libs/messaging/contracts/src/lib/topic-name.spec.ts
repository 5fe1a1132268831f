import { deadLetterTopicName, InvalidTopicNameError, isTopicName, parseTopicName, topicName } from './topic-name';

describe('topic names', () => {
  it('builds leadership.<context>.<stream>.v<major>', () => {
    expect(topicName('delegation', 'mandates', 1)).toBe('leadership.delegation.mandates.v1');
    expect(topicName('case-distribution', 'case-assignments', 12)).toBe('leadership.case-distribution.case-assignments.v12');
  });

  it('parses a valid name into its parts', () => {
    expect(parseTopicName('leadership.onboarding.presenter-bookings.v2')).toEqual({
      context: 'onboarding',
      stream: 'presenter-bookings',
      major: 2,
    });
  });

  it.each([
    ['leadership.delegation.mandates', 'no major'],
    ['leadership.delegation.mandates.v0', 'major 0'],
    ['leadership.delegation.mandates.v01', 'leading zero'],
    ['leadership.Delegation.mandates.v1', 'upper case'],
    ['leadership.delegation.mandate_events.v1', 'underscore'],
    ['leadership.delegation.-mandates.v1', 'leading dash'],
    ['leadership.delegation.mandates--x.v1', 'double dash'],
    ['other.delegation.mandates.v1', 'wrong prefix'],
    ['leadership.delegation.extra.mandates.v1', 'extra segment'],
  ])('refuses %s (%s)', (name) => {
    expect(isTopicName(name)).toBe(false);
    expect(() => parseTopicName(name)).toThrow(InvalidTopicNameError);
  });

  it('refuses to build a name from bad segments', () => {
    expect(() => topicName('delegation', 'Mandates', 1)).toThrow(/invalid topic name "leadership.delegation.Mandates.v1"/);
    expect(() => topicName('delegation', 'mandates', 1.5)).toThrow(InvalidTopicNameError);
  });

  it('refuses names longer than Kafka allows', () => {
    expect(() => topicName('delegation', 'a'.repeat(240), 1)).toThrow(/longer than 249/);
  });

  it('names the dead-letter topic after the consumer group', () => {
    expect(deadLetterTopicName('notifications.mandate-projector')).toBe('leadership.dlq.notifications.mandate-projector');
    expect(() => deadLetterTopicName('group with spaces')).toThrow(InvalidTopicNameError);
  });
});
