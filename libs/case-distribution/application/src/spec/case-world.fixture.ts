import { handleCommand, type EventStore } from '@leadership/event-store';
import { agentDecider, agentStreamName, queueDecider, queueStreamName, type DecisionStamp, type QueueConfig, type Skill } from '@leadership/case-distribution-domain';
import { MissingAuthorityError, type Authorised, type CaseAuthority, type CaseAuthorityName, type CaseScope } from '../lib/authority/case-authority.port';

/*
 * A small world for the use-case specs: unit `support` managed by Ana, queue `general`, agents,
 * and an authority that grants what a test says (Ana as formal manager; mandates as given).
 */
export const UNIT = 'support';
export const QUEUE = 'general';
export const ANA = 'person-ana';
export const BEN = 'person-ben';
export const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 };

export const queueConfig = (overrides: Partial<QueueConfig> = {}): QueueConfig => ({
  unitId: UNIT,
  name: 'General',
  routing: { mode: 'most-available', pushTimeoutSeconds: 60, skillRelaxationSeconds: 600 },
  sla: { P1: targets, P2: targets, P3: targets, P4: targets },
  channelWeights: { email: 2, chat: 1 },
  overflowQueueId: null,
  ...overrides,
});

const anaStamp: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: ANA };

export async function givenQueue(store: EventStore, at: string, agents: readonly { personId: string; capacity: number; skills?: readonly Skill[] }[], config: Partial<QueueConfig> = {}, queueId = QUEUE): Promise<void> {
  const stream = queueStreamName(queueId);
  await handleCommand(store, stream, queueDecider, { type: 'DefineQueue', data: { queueId, at, stamp: anaStamp, config: queueConfig(config) } });
  for (const agent of agents) {
    await handleCommand(store, stream, queueDecider, { type: 'SetQueueAgent', data: { queueId, at, stamp: anaStamp, personId: agent.personId, capacity: agent.capacity, skills: agent.skills ?? [] } });
  }
}

export async function givenAvailable(store: EventStore, at: string, ...personIds: string[]): Promise<void> {
  for (const personId of personIds) {
    await handleCommand(store, agentStreamName(personId), agentDecider, { type: 'SetPresence', data: { personId, actorId: personId, at, status: 'available' } });
  }
}

/** Grants Ana everything as formal manager, and each listed mandate holder its authorities (in its unit only, when it names one). */
export class GrantingAuthority implements CaseAuthority {
  readonly mandates = new Map<string, { mandateId: string; version: number; authorities: CaseAuthorityName[]; rules: Authorised['rules']; unitId?: string }>();

  authorise(actorId: string, authority: CaseAuthorityName, scope: CaseScope): Authorised {
    if (actorId === ANA) return { stamp: anaStamp, rules: [] };
    const mandate = this.mandates.get(actorId);
    if (mandate?.authorities.includes(authority) && (mandate.unitId === undefined || mandate.unitId === scope.unitId)) {
      return { stamp: { basis: 'mandate', mandateId: mandate.mandateId, mandateVersion: mandate.version, actorId }, rules: mandate.rules };
    }
    throw new MissingAuthorityError(actorId, authority, scope, 'no mandate grants it');
  }
}
