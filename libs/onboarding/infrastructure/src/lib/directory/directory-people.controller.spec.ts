import type { DirectoryPersonHandler } from '@leadership/onboarding-application';
import type { PersonChange } from '@leadership/onboarding-domain';
import { PersonChanged } from '@leadership/delegation-contracts';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { DirectoryPeopleController } from './directory-people.controller';

describe('DirectoryPeopleController', () => {
  const received: { change: PersonChange; causationId: string | undefined }[] = [];
  const handler = {
    onPersonChanged: async (change: PersonChange, context: { causationId?: string }) => {
      received.push({ change, causationId: context.causationId });
      return { decision: { kind: 'stale' as const }, drafted: false, releasedAbsent: 0 };
    },
  } as unknown as DirectoryPersonHandler;
  const controller = new DirectoryPeopleController(handler);
  const event = (data: CloudEventOf<typeof PersonChanged>['data']) => ({ id: 'ce-1', type: PersonChanged.type, data }) as CloudEventOf<typeof PersonChanged>;

  beforeEach(() => received.splice(0));

  it('hands the person on with skills and absences, caused by the CloudEvent', async () => {
    const [example] = PersonChanged.examples;
    if (!example) throw new Error('PersonChanged has no example');
    expect(PersonChanged.schema.parse(example)).toEqual(example);
    await controller.onPersonChanged(event(example));
    expect(received).toEqual([{ change: { personId: example.personId, version: example.version, unitIds: example.unitIds, occurredAt: example.occurredAt, skills: example.skills, absences: example.absences }, causationId: 'ce-1' }]);
  });

  it('leaves skills and absences out (unknown) for a message published before they existed', async () => {
    await controller.onPersonChanged(event({ personId: 'person-ben', version: 0, locale: 'sv-SE', unitIds: ['support'], occurredAt: '2026-10-19T08:00:00.000Z' }));
    expect(received[0]?.change).toEqual({ personId: 'person-ben', version: 0, unitIds: ['support'], occurredAt: '2026-10-19T08:00:00.000Z' });
  });
});
