/**
 * `forget`: remove the record of an exporter that was deleted on purpose. The monitor re-checks
 * every exporter it has a record of and keeps reminding about a disappeared one; without the
 * record it no longer knows the exporter, so the reminders stop. Only a MISSING record is removed.
 */
import type { Command } from 'commander';
import { forgetExporter } from '../../lambda/store/forget.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';

interface ForgetOptions {
  readonly registry: string;
  readonly exporter: string;
  readonly reason?: string;
}

export function registerForget(program: Command, context: CommandContext): void {
  program
    .command('forget')
    .description('remove the record of an exporter deleted on purpose (state MISSING): the monitor stops checking and reminding about it')
    .requiredOption('--registry <id>', 'the registry')
    .requiredOption('--exporter <name>', 'the exporter; it must be MISSING')
    .option('--reason <text>', 'why, repeated in the confirmation')
    .action(async (options: ForgetOptions) => {
      const { registry, exporter } = options;
      const target = await context.target();
      const outcome = await forgetExporter(target, registry, exporter, context.now);
      if (outcome === 'not-found') {
        throw new CliError(`exporter ${exporter} of registry ${registry} not found (in ${target.label}); \`status --registry ${registry}\` lists the known ones`);
      }
      if (outcome === 'not-missing') {
        // Read after the refusal, so the state shown is the one that made DynamoDB refuse.
        const state = (await target.store.loadRegistry(registry)).exporters.get(exporter)?.record.state ?? 'no longer MISSING';
        throw new CliError(`exporter ${exporter} is ${state}; forget only removes exporters that disappeared`);
      }
      context.io.stdout.write(`Forgot exporter ${exporter} of registry ${registry}${options.reason === undefined ? '' : `: ${options.reason}`}\n`);
    });
}
