import { Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ConfigureQueueHandler, type CaseAuthority, type QueueCommandResult } from '@leadership/case-distribution-application';
import { channelWeight, slaStatus, type ExistingQueue } from '@leadership/case-distribution-domain';
import { ApiQueryFrom, commandContext, CurrentActor, etag, openApiSchema, ProblemException, problems, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { CaseReadModel } from '../read-model/case.read-model';
import { InjectCaseAuthority, InjectRoutingBoard, mayManageQueue, readsEverything, type RoutingBoard } from './case-distribution.ports';
import { fairnessQuery, personIdParam, queueAgentBody, queueBody, queueIdParam } from './case.schemas';

const presentQueue = (result: QueueCommandResult) => ({ queueId: result.queue.queueId, version: result.version, ...result.queue.config, agents: result.queue.agents, events: result.events });

/**
 * Queues and their agents (`cases.prioritise` for the queue, or a formal manager of its unit),
 * the live board and the fairness view (whoever may assign in the queue, and compliance).
 */
@ApiTags('queues')
@Controller('queues')
export class QueuesController {
  constructor(
    private readonly configure: ConfigureQueueHandler,
    private readonly readModel: CaseReadModel,
    @InjectCaseAuthority() private readonly authority: CaseAuthority,
    @InjectRoutingBoard() private readonly board: RoutingBoard,
  ) {}

  @Put(':queueId')
  @ApiOperation({ summary: 'Define or change a queue: unit (fixed once defined), routing mode and timeouts, SLA per priority, channel weights, overflow queue (a defined one)' })
  @ApiBody({ schema: openApiSchema(queueBody) })
  @ApiResponse({ status: 201, description: 'Defined' })
  @ApiResponse({ status: 200, description: 'Changed (or unchanged)' })
  async put(@Param('queueId', new ZodValidationPipe(queueIdParam, 'params')) queueId: string, @ZodBody(queueBody) body: z.infer<typeof queueBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { overflowQueueId, ...config } = body;
    const result = await this.configure.put(queueId, { ...config, overflowQueueId: overflowQueueId ?? null }, commandContext(actor, req));
    res.status(result.created ? 201 : 200).setHeader('ETag', etag(result.version));
    return presentQueue(result);
  }

  @Put(':queueId/agents/:personId')
  @ApiOperation({ summary: 'Add an agent to the queue or change their capacity (load units) and skills' })
  @ApiBody({ schema: openApiSchema(queueAgentBody) })
  async putAgent(
    @Param('queueId', new ZodValidationPipe(queueIdParam, 'params')) queueId: string,
    @Param('personId', new ZodValidationPipe(personIdParam, 'params')) personId: string,
    @ZodBody(queueAgentBody) body: z.infer<typeof queueAgentBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.configure.setAgent(queueId, { personId, ...body }, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return presentQueue(result);
  }

  @Delete(':queueId/agents/:personId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take an agent out of the queue (their open cases stay theirs)' })
  async removeAgent(@Param('queueId', new ZodValidationPipe(queueIdParam, 'params')) queueId: string, @Param('personId', new ZodValidationPipe(personIdParam, 'params')) personId: string, @CurrentActor() actor: Actor, @Req() req: Request) {
    return presentQueue(await this.configure.removeAgent(queueId, personId, commandContext(actor, req)));
  }

  @Get(':queueId/board')
  @ApiOperation({ summary: 'The queue now: backlog by priority and age, agents with load and presence, SLA at risk' })
  async boardOf(@Param('queueId', new ZodValidationPipe(queueIdParam, 'params')) queueId: string, @CurrentActor() actor: Actor) {
    const queue = await this.visibleQueue(queueId, actor);
    const now = new Date().toISOString();
    const snapshot = this.board.snapshot(queueId, now);
    const backlog = [...(snapshot?.cases ?? [])].sort((a, b) => a.priority.localeCompare(b.priority) || a.receivedAt.localeCompare(b.receivedAt));
    const byPriority = { P1: 0, P2: 0, P3: 0, P4: 0 };
    for (const waiting of backlog) byPriority[waiting.priority]++;
    const atRisk = [...this.board.openCases()]
      .filter(({ state }) => state.queueId === queueId)
      .flatMap(({ state }) =>
        slaStatus(state, queue.config.sla[state.priority], now)
          .filter((target) => target.state !== 'ok' && target.metAt === null)
          .map((target) => ({ caseId: state.caseId, priority: state.priority, target: target.kind, state: target.state, dueAt: target.dueAt, assigneeId: state.assigneeId })),
      );
    return {
      queueId,
      at: now,
      backlog: { total: backlog.length, byPriority, oldest: backlog.slice(0, 50).map((c) => ({ caseId: c.caseId, priority: c.priority, receivedAt: c.receivedAt, channel: c.channel, weight: channelWeight(queue.config, c.channel) })) },
      agents: (snapshot?.agents ?? []).map((agent) => ({ personId: agent.personId, presence: agent.presence, capacity: agent.capacity, load: agent.load, activeCases: agent.activeCases, lastAssignedAt: agent.lastAssignedAt })),
      slaAtRisk: atRisk,
    };
  }

  @Get(':queueId/fairness')
  @ApiOperation({ summary: 'Cases given to each agent in [from, to) (offers and manual assignments), also per unit of capacity, so agents of every capacity compare fairly' })
  @ApiQueryFrom(fairnessQuery)
  async fairness(@Param('queueId', new ZodValidationPipe(queueIdParam, 'params')) queueId: string, @Query(new ZodValidationPipe(fairnessQuery, 'query')) query: z.infer<typeof fairnessQuery>, @CurrentActor() actor: Actor) {
    const queue = await this.visibleQueue(queueId, actor);
    const decisions = await this.readModel.decisionsBetween({ unitId: queue.config.unitId, from: query.from, to: query.to });
    // Work given: automatic offers and manual assignments (an offer declined or expired still took the agent's turn).
    const counts = new Map<string, number>();
    for (const decision of decisions) {
      if (decision.queueId !== queueId || decision.subjectId === null) continue;
      if (decision.kind === 'offered' || decision.kind === 'assigned' || decision.kind === 'reassigned') counts.set(decision.subjectId, (counts.get(decision.subjectId) ?? 0) + 1);
    }
    return {
      queueId,
      from: query.from,
      to: query.to,
      items: queue.agents.map((agent) => {
        const assigned = counts.get(agent.personId) ?? 0;
        return { personId: agent.personId, capacity: agent.capacity, assignments: assigned, perCapacityUnit: agent.capacity > 0 ? Math.round((assigned / agent.capacity) * 100) / 100 : null };
      }),
    };
  }

  private async visibleQueue(queueId: string, actor: Actor): Promise<ExistingQueue> {
    await this.board.catchUp();
    const queue = this.board.queue(queueId);
    if (!queue) throw new ProblemException(problems.notFound(`No queue ${queueId}.`));
    if (!readsEverything(actor) && !mayManageQueue(this.authority, actor, { unitId: queue.config.unitId, queueId })) {
      throw new ProblemException(problems.forbidden(`The board of queue ${queueId} is for whoever may assign in it (cases.assign, or formal manager of unit ${queue.config.unitId}) and compliance.`, { authority: 'cases.assign', unitId: queue.config.unitId, queueId }));
    }
    return queue;
  }
}
