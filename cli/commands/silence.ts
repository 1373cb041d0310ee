/** `silence`: mute an exporter, or a whole registry, until a time; the monitor records its events as muted and sends nothing. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { assertChecked } from '../reads.js';
import { type SilenceTarget, subjectLabel, withSilenceTarget } from '../silence-target.js';
import { formatDuration, formatTime, parseTime } from '../time.js';

interface SilenceOptions extends SilenceTarget {
  readonly until: string;
  readonly reason: string;
  readonly by?: string;
}

export function registerSilence(program: Command, context: CommandContext): void {
  const command = program.command('silence').description('mute an exporter (or, without --exporter, a whole registry) until a time, with a reason');
  withSilenceTarget(command)
    .requiredOption('--until <time>', 'when the silence ends: 30m, 2h, 1d from now, or an ISO time')
    .requiredOption('--reason <text>', 'why, shown in `status` and in the muted events')
    .option('--by <name>', 'who muted it (default: $USER)')
    .action(async (options: SilenceOptions) => {
      const until = parseTime(options.until, '--until', context.now, 1);
      if (until <= context.now) throw new CliError(`--until (${formatTime(until)}) is in the past`);
      const target = await context.target();
      const snapshot = await target.store.loadRegistry(options.registry);
      assertChecked(options.registry, snapshot, target.label);
      if (options.exporter !== undefined && !snapshot.exporters.has(options.exporter)) {
        context.io.stderr.write(`note: exporter "${options.exporter}" has not been seen on registry ${options.registry}; muting it anyway\n`);
      }
      const createdBy = options.by ?? context.io.env.USER;
      await target.store.putSilence({
        registryId: options.registry,
        ...(options.exporter !== undefined && { exporterName: options.exporter }),
        until,
        reason: options.reason,
        ...(createdBy !== undefined && { createdBy }),
      });
      context.io.stdout.write(`Muted ${subjectLabel(options)} until ${formatTime(until)} (${formatDuration(until - context.now)} from now): ${options.reason}\n`);
    });
}
