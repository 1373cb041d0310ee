/** What `silence` and `unsilence` act on: an exporter of a registry, or the whole registry. */
import type { Command } from 'commander';

export interface SilenceTarget {
  readonly registry: string;
  readonly exporter?: string;
}

export function withSilenceTarget(command: Command): Command {
  return command
    .requiredOption('--registry <id>', 'the registry')
    .option('--exporter <name>', 'the exporter; without it, the whole registry');
}

export function subjectLabel({ registry, exporter }: SilenceTarget): string {
  return exporter === undefined ? `registry ${registry}` : `exporter ${exporter} of registry ${registry}`;
}
