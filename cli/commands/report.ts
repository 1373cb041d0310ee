/**
 * `report`: per exporter over a window, availability (share of watched time RUNNING), incidents
 * opened, mean and worst time to recovery; `--html FILE` also writes the page with the timelines.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { type QueryOptions, withQueryOptions } from '../options.js';
import { formatOf, render } from '../output.js';
import { eventsSinceWindowStart, loadRegistries, recordsOf } from '../reads.js';
import { buildReport, FIGURE_COLUMNS } from '../report/figures.js';
import { fitWindow } from '../report/fit-window.js';
import { reportHtml } from '../report/html.js';
import { isoTime, parseWindow } from '../time.js';

/** At most this far back by default; less when the monitor knows of nothing that old (fit-window.ts). */
const DEFAULT_SINCE = '7d';

interface ReportOptions extends QueryOptions {
  readonly html?: string;
}

export function registerReport(program: Command, context: CommandContext): void {
  const command = program
    .command('report')
    .description('per exporter over a window: availability, incidents, mean and worst time to recovery')
    .option('--html <file>', 'also write a self-contained HTML page with a state timeline per exporter and the incidents')
    .addHelpText('after', `\nWithout --since the window starts at the first thing the monitor knows of, at most ${DEFAULT_SINCE} ago.`);
  withQueryOptions(command, DEFAULT_SINCE).action(async (options: ReportOptions) => {
    const asked = parseWindow(options.since, options.until, context.now);
    const registries = await loadRegistries(context, options.registry);
    // The registries' own events too, with one exporter selected: they tell when it could not be seen.
    const events = await eventsSinceWindowStart(context, asked, { ...options, exporter: undefined });
    const window = command.getOptionValueSource('since') === 'default' ? fitWindow(asked, [...recordsOf(registries), ...events]) : asked;
    const report = buildReport(registries, events, window, options.exporter);
    render(context.io, formatOf(options), {
      rows: report.exporters,
      columns: FIGURE_COLUMNS,
      empty: 'No exporter was watched in this window.',
      json: (row) => ({
        registry: row.registryId,
        exporter: row.exporterName,
        from: isoTime(window.from),
        to: isoTime(window.to),
        availability: row.availability,
        runningMs: row.runningMs,
        watchedMs: row.watchedMs,
        incidentsOpened: row.opened,
        recoveries: row.recoveries.length,
        meanTimeToRecoveryMs: row.meanRecoveryMs,
        worstTimeToRecoveryMs: row.worstRecoveryMs,
        openNow: row.openNow,
      }),
    });
    if (options.html !== undefined) {
      const { label } = await context.target();
      try {
        await writeFile(options.html, reportHtml(report, { now: context.now, source: label }));
      } catch (error) {
        // The store was read fine: the error is the file's, and must not be blamed on the store.
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message.split('\n', 1)[0];
        throw new CliError(`cannot write --html ${options.html}: ${reason}`);
      }
      context.io.stderr.write(`Wrote ${options.html}\n`);
    }
  });
}
