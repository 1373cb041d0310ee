/** `incidents`: incidents with start, end, duration and cause; `--open` for the current ones only. */
import type { Command } from 'commander';
import type { SubjectRecord } from '../../lambda/core/model.js';
import type { CommandContext } from '../context.js';
import { collectIncidents, incidentColumns, overlaps } from '../incident-list.js';
import { type QueryOptions, withQueryOptions } from '../options.js';
import { formatOf, render } from '../output.js';
import { eventsSinceWindowStart, loadRegistries, recordsOf } from '../reads.js';
import { isoTime, parseWindow } from '../time.js';

interface IncidentsOptions extends QueryOptions {
  readonly open?: boolean;
}

export function registerIncidents(program: Command, context: CommandContext): void {
  const command = program
    .command('incidents')
    .description('incidents open at some time in the window, newest first: start, end, duration, cause')
    .option('--open', 'only the incidents open now (read from the current records, no history)');
  withQueryOptions(command, '30d').action(async (options: IncidentsOptions) => {
    const window = parseWindow(options.since, options.until, context.now);
    const records = await currentRecords(context, options);
    const incidents = options.open
      ? collectIncidents([], records)
      : collectIncidents(await eventsSinceWindowStart(context, window, options), records).filter((incident) => overlaps(incident, window));
    render(context.io, formatOf(options), {
      rows: incidents,
      columns: incidentColumns(context.now),
      empty: options.open ? 'No open incidents.' : 'No incidents in this window.',
      json: (incident) => ({
        registry: incident.registryId,
        exporter: incident.exporterName ?? null,
        id: incident.id,
        openedAt: isoTime(incident.openedAt),
        closedAt: isoTime(incident.closedAt),
        endedBy: incident.endedBy ?? null,
        durationMs: (incident.closedAt ?? context.now) - incident.openedAt,
        open: incident.closedAt === undefined,
        cause: incident.cause,
        pausedBecause: incident.pauseCause ?? null,
        autoResumeAttempts: incident.resumes?.attempts ?? 0,
        autoResumeGaveUp: incident.resumes?.gaveUp ?? false,
      }),
    });
  });
}

/** Current records (exporters and registry access) of the selected subjects: where open incidents live. */
async function currentRecords(context: CommandContext, options: IncidentsOptions): Promise<SubjectRecord[]> {
  return recordsOf(await loadRegistries(context, options.registry)).filter((record) => options.exporter === undefined || record.exporterName === options.exporter);
}
