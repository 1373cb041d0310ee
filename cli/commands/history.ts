/** `history`: events newest first, by registry, exporter, type and time window. */
import type { Command } from 'commander';
import type { MonitorEvent } from '../../lambda/core/model.js';
import type { CommandContext } from '../context.js';
import { eventJson } from '../event-json.js';
import { type QueryOptions, withQueryOptions, withTypes } from '../options.js';
import { type Column, formatOf, render } from '../output.js';
import { causeColumn, stateColor, subjectColumns } from '../present.js';
import { historyFilter, loadRegistries, readEvents } from '../reads.js';
import { formatTime, parseWindow } from '../time.js';

interface HistoryOptions extends QueryOptions {
  readonly type?: string[];
}

export function registerHistory(program: Command, context: CommandContext): void {
  const command = program
    .command('history')
    .description('events newest first (quiet and muted ones included); one exporter reads its own partition, anything wider the by-day index');
  withQueryOptions(withTypes(command), '7d').action(async (options: HistoryOptions) => {
    const window = parseWindow(options.since, options.until, context.now);
    // A registry named that was never checked is a typo here as in every command, not an empty history.
    if (options.registry !== undefined) await loadRegistries(context, options.registry);
    const events = await readEvents(context, { ...window, ...historyFilter(options), ...(options.type !== undefined && { types: options.type }) });
    // JSON keeps every field of the events as stored (the MonitorEvent of the SNS messages), times in ISO 8601.
    render(context.io, formatOf(options), { rows: events, columns: COLUMNS, empty: 'No events in this window.', json: eventJson });
  });
}

/** Whether people were told: an alert was sent, or the event was only recorded (quiet, or muted by a silence). */
function notice(event: MonitorEvent): string {
  if (event.muted) return 'muted';
  return event.notify ? 'alert' : 'quiet';
}

const COLUMNS: Column<MonitorEvent>[] = [
  { header: 'TIME', value: (event) => formatTime(event.at) },
  ...subjectColumns<MonitorEvent>(),
  { header: 'EVENT', value: (event) => event.type },
  {
    header: 'STATE',
    value: (event) => (event.previousState === undefined ? event.state : `${event.previousState} -> ${event.state}`),
    color: (event, colors) => stateColor(event.state, colors),
  },
  { header: 'NOTICE', value: notice, color: (event, colors) => (notice(event) === 'alert' ? colors.bold : colors.dim) },
  { header: 'INCIDENT', value: (event) => event.incidentId ?? '' },
  // A definition change has no cause, only what changed; a drift's root cause already counts what is missing.
  causeColumn((event) => event.rootCause ?? event.failure?.message ?? event.definitionChange ?? ''),
];
