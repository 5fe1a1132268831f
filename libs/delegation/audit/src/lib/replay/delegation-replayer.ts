import { type AuditReplayer } from '@leadership/audit';
import { scopeKey, type LeadershipMap } from '@leadership/delegation-domain';
import { leadershipAsOf } from './leadership-as-of';
import { replayStateAt, type ReplayedState } from './replay-state-at';

/**
 * The delegation context's `npm run audit -- replay --context delegation --at T [--unit <id>]`:
 * per unit, the formal managers and who held each leadership task at T (domain time), on whose
 * mandate; `--json` prints the full replayed state (units, people, task types, leadership maps,
 * every mandate). Registered with the shared audit CLI by tools/scripts/audit.ts.
 */
export const delegationReplayer: AuditReplayer = {
  description: 'Who held which leadership task in each unit at that instant (domain time), on whose\n      mandate, replayed from the event history.',
  options: {
    unit: 'only this unit (its mandates; the directory is always replayed whole)',
  },
  async replay(request) {
    const unitId = request.options['unit'];
    const state = await replayStateAt(request.store, request.at, {
      ...(unitId !== undefined ? { unitId } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    const leadership = leadershipAsOf(state, unitId !== undefined ? { unitId } : {});
    if (request.json) await writeStateJson(request.write, state, leadership);
    else await request.write(leadershipText(state, leadership));
    const { skippedUnknownType, skippedWithoutTime } = state.stats;
    if (skippedUnknownType + skippedWithoutTime > 0) {
      await request.warn(
        `skipped ${skippedUnknownType} event(s) of unknown type and ${skippedWithoutTime} without a valid data.at; ` +
          'the state may be incomplete (is this CLI older than the service that wrote them?)',
      );
    }
  },
};

function leadershipText(state: ReplayedState, maps: readonly LeadershipMap[]): string {
  const { stats } = state;
  const lines = [
    `Leadership as of ${state.at} (domain time), replayed from ${stats.eventsRead} events up to position ${stats.position ?? '-'}`,
    `${state.mandates.size} mandates, ${state.units.size} units, ${state.people.size} people, ${state.taskTypes.size} task types defined or changed by admins by then (the built-in defaults apply besides)`,
  ];
  for (const map of maps) {
    const unit = state.units.get(map.unitId);
    lines.push('', `unit ${map.unitId}${unit ? ` "${unit.name}"` : ' (not in the directory at that time)'}`);
    lines.push(`  formal managers: ${map.formalManagerIds.length > 0 ? map.formalManagerIds.join(', ') : '(none)'}`);
    const width = Math.max(...map.holders.map((entry) => entry.taskType.length), 0);
    for (const { taskType, holders } of map.holders) {
      if (holders.length === 0) {
        lines.push(`  ${taskType.padEnd(width)}  (no holder: the formal manager)`);
        continue;
      }
      holders.forEach((holder, index) => {
        const label = index === 0 ? taskType.padEnd(width) : ''.padEnd(width);
        const deputy = holder.deputyId ? `, deputy ${holder.deputyId}` : '';
        lines.push(
          `  ${label}  ${holder.delegateId} on mandate ${holder.mandateId} v${holder.mandateVersion} from ${holder.delegatorId}` +
            ` [${scopeKey(holder.scope)}] ${holder.authorities.join(', ')} until ${holder.until}${deputy}`,
        );
      });
    }
    for (const overlap of map.overlaps) lines.push(`  CONFLICT: exclusive ${overlap.taskType} in ${overlap.scope} held by ${overlap.mandateIds.join(', ')}`);
    for (const flagged of map.awaitingReconfirmation)
      lines.push(`  awaiting reconfirmation: ${flagged.mandateId} (${flagged.reason} since ${flagged.flaggedAt})`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The full state as one JSON document, written mandate by mandate: a store with a million events
 * has ~100k mandates, too many to build as one string first.
 */
async function writeStateJson(write: (chunk: string) => Promise<void>, state: ReplayedState, leadership: readonly LeadershipMap[]): Promise<void> {
  const stats = {
    ...state.stats,
    position: state.stats.position?.toString() ?? null,
  };
  await write(`{"at":${JSON.stringify(state.at)},"stats":${JSON.stringify(stats)},\n`);
  const sections: readonly [string, Iterable<unknown>][] = [
    ['units', state.units.values()],
    ['people', state.people.values()],
    ['taskTypes', state.taskTypes.values()],
    ['leadership', leadership],
    ['mandates', state.mandates.values()],
  ];
  for (const [index, [name, values]] of sections.entries()) {
    await write(`${JSON.stringify(name)}:[`);
    let chunk = '';
    let first = true;
    for (const value of values) {
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify(value)}`;
      first = false;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(`${chunk}\n]${index === sections.length - 1 ? '}\n' : ',\n'}`);
  }
}
