/** `unsilence`: end a silence now. The item stays (with `until` in the past) as a record of who muted what. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { assertChecked } from '../reads.js';
import { type SilenceTarget, subjectLabel, withSilenceTarget } from '../silence-target.js';

export function registerUnsilence(program: Command, context: CommandContext): void {
  const command = program.command('unsilence').description('end the silence of an exporter (or, without --exporter, of the whole registry) now');
  withSilenceTarget(command).action(async (options: SilenceTarget) => {
    const { store, label } = await context.target();
    assertChecked(options.registry, await store.loadRegistry(options.registry), label);
    if (!(await store.deleteSilence(options.registry, options.exporter, context.now))) {
      throw new CliError(`no silence in force for ${subjectLabel(options)}: nothing to lift`);
    }
    context.io.stdout.write(`Unmuted ${subjectLabel(options)}\n`);
  });
}
