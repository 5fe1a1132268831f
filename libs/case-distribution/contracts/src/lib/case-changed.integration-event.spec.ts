import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { caseDistributionAsyncApi } from './case-distribution.asyncapi';
import { CaseAssignmentEvent, ASSIGNMENTS_TOPIC } from './case-assignment.integration-event';
import { CaseChanged, CASES_TOPIC } from './case-changed.integration-event';
import { CaseSubmitted, INTAKE_TOPIC } from './case-submitted.integration-event';

const [example] = CaseChanged.examples;

describe('case distribution contracts', () => {
  it('are published on the topics other tools use, keyed by the case id', () => {
    expect([CASES_TOPIC, ASSIGNMENTS_TOPIC, INTAKE_TOPIC].map(parseTopicName)).toEqual([
      { context: 'cases', stream: 'cases', major: 1 },
      { context: 'cases', stream: 'assignments', major: 1 },
      { context: 'cases', stream: 'intake', major: 1 },
    ]);
    expect(example).toBeDefined();
    if (!example) return;
    expect(CaseChanged.keyOf(example)).toBe(example.caseId);
    expect(CaseChanged.parse(example)).toEqual(example);
    const [assignment] = CaseAssignmentEvent.examples;
    expect(assignment && CaseAssignmentEvent.keyOf(assignment)).toBe(assignment?.caseId);
  });

  it('rejects unknown fields and missing ones without echoing the values', () => {
    expect(() => CaseChanged.parse({ ...example, description: 'private text' })).toThrow(IntegrationEventValidationError);
    const result = CaseChanged.safeParse({ ...example, title: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('private text');
  });

  it('takes intake payloads with only the required fields, and refuses bad priorities and skill levels', () => {
    const minimal = { queueId: 'general', title: 'Printer on fire', priority: 'P1', channel: 'phone' };
    expect(CaseSubmitted.parse(minimal)).toEqual(minimal);
    expect(CaseSubmitted.keyOf(CaseSubmitted.parse(minimal))).toBe('general');
    expect(CaseSubmitted.safeParse({ ...minimal, priority: 'P0' }).success).toBe(false);
    expect(CaseSubmitted.safeParse({ ...minimal, requiredSkills: [{ name: 'motor', level: 6 }] }).success).toBe(false);
    expect(CaseSubmitted.safeParse({ ...minimal, unitId: 'x' }).success).toBe(false);
  });

  it('are documented in the AsyncAPI document: the sent topics and the received intake', () => {
    const document = caseDistributionAsyncApi();
    expect(Object.keys(document['operations'] as object)).toEqual([`receive.${INTAKE_TOPIC}`, `send.${ASSIGNMENTS_TOPIC}`, `send.${CASES_TOPIC}`]);
    const text = JSON.stringify(document);
    for (const type of [CaseChanged.type, CaseAssignmentEvent.type, CaseSubmitted.type]) expect(text).toContain(type);
    expect(CaseChanged.jsonSchema()).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['caseId', 'version', 'decisions']) });
  });
});
