import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { anchorLogOf, exportEvents, verifyIntegrity } from '@leadership/audit';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ProblemException, problems, RequireRoles, ROLES, ZodQuery } from '@leadership/platform-nest';
import { toMandateSnapshot } from '../read-model/mandate-snapshot.mapper';
import { InjectAudit, type AuditPort } from './delegation-http.ports';
import { auditStateQuery, exportQuery } from './schemas';

/** Compliance: the immutable history and state as of any time. */
@ApiTags('audit')
@RequireRoles(ROLES.compliance)
@Controller('audit')
export class AuditController {
  constructor(@InjectAudit() private readonly audit: AuditPort) {}

  @Get('mandates/:id/events')
  @ApiOperation({ summary: 'Every event of a mandate with metadata (actor, correlation, integrity hash)' })
  async events(@Param('id') id: string) {
    const events = await this.audit.mandateEvents(id);
    if (events.length === 0) throw new ProblemException(problems.notFound(`No mandate ${id}.`));
    return {
      mandateId: id,
      events: events.map((e) => ({
        version: e.revision,
        position: e.position.toString(),
        type: e.type,
        recordedAt: e.recordedAt,
        data: e.data,
        metadata: e.metadata,
      })),
    };
  }

  @Get('state')
  @ApiOperation({
    summary: 'Every mandate (optionally of one unit) as it stood at `at`, with its version then, a page at a time',
    description: 'Pages in mandate id order: at most `limit` (default 100, at most 500) mandates are looked at per page; pass `next` as `after` for the following page (null after the last). A page may hold fewer than `limit` mandates, since those proposed after `at` are left out.',
  })
  async state(@ZodQuery(auditStateQuery) q: z.infer<typeof auditStateQuery>) {
    const { versions, next } = await this.audit.mandateVersionsAsOf(q);
    const mandates = versions.map((v) => ({ version: v.version, validFrom: v.at, mandate: toMandateSnapshot(v.state) }));
    return { at: q.at, unitId: q.unitId ?? null, limit: q.limit, mandates, next };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain of every stream and check the signed anchors; lists tampered, broken, truncated or deleted streams' })
  async verify() {
    // The service's own anchor log (taken automatically, signed with the anchor key): without it a
    // deleted stream tail or stream would leave every chain intact.
    const anchorLog = anchorLogOf(this.audit.store);
    const report = await verifyIntegrity(this.audit.store, anchorLog ? { anchorLog } : {});
    return {
      intact: report.problems.length === 0,
      verdict: report.verdict,
      anchors: report.anchors,
      streamsChecked: report.streamsChecked,
      eventsChecked: report.eventsChecked,
      headPosition: report.headPosition?.toString() ?? null,
      problems: report.problems,
    };
  }

  @Get('export')
  @ApiOperation({ summary: 'Every event (recordedAt in [from, to)) as NDJSON or CSV, streamed' })
  async export(@ZodQuery(exportQuery) q: z.infer<typeof exportQuery>, @Res() res: Response): Promise<void> {
    res.status(200).type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    res.setHeader('Content-Disposition', `attachment; filename="delegation-events.${q.format}"`);
    await exportEvents(this.audit.store, {
      format: q.format,
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      // Honour back-pressure: wait for the socket to drain before reading the next page.
      write: (chunk) => (res.write(chunk) ? undefined : new Promise<void>((resolve) => res.once('drain', () => resolve()))),
    });
    res.end();
  }
}
