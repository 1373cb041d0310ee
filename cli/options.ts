/** Options several commands share, declared once so they read and behave the same everywhere. */
import { type Command, Option } from 'commander';
import { EVENT_TYPES } from '../lambda/core/model.js';
import { CliError } from './errors.js';
import { FORMATS, type FormatOptions } from './output.js';

/** Repeatable and comma-separated: `--registry a --registry b` or `--registry a,b`. */
function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}

export function withRegistries(command: Command): Command {
  return command.addOption(
    new Option('--registry <id>', 'only this registry (repeatable, or comma-separated)').argParser(list),
  );
}

function withExporter(command: Command): Command {
  return command.option('--exporter <name>', 'only this exporter');
}

/** `--registry` and `--exporter` as given. */
export interface Selection {
  readonly registry?: readonly string[];
  readonly exporter?: string;
}

export interface WindowOptions {
  readonly since: string;
  readonly until: string;
}

/** What the commands that read over a window share. */
export interface QueryOptions extends Selection, WindowOptions, FormatOptions {}

/** `--registry`, `--exporter`, `--since`, `--until` and the output format. */
export function withQueryOptions(command: Command, defaultSince: string): Command {
  return withFormat(
    withExporter(withRegistries(command))
      .option('--since <time>', 'start of the window: 30m, 12h, 7d, 2w or an ISO time (UTC unless it says otherwise)', defaultSince)
      .option('--until <time>', 'end of the window, same forms', 'now'),
  );
}

export function withFormat(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--json', 'same as --format json');
}

export function withTypes(command: Command): Command {
  return command.addOption(new Option('--type <type>', `only these event types (repeatable, or comma-separated): ${EVENT_TYPES.join(', ')}`).argParser(eventTypes));
}

function eventTypes(value: string, previous: string[] = []): string[] {
  const types = list(value, previous);
  const unknown = types.find((type) => !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) throw new CliError(`--type: unknown event type "${unknown}"; one of ${EVENT_TYPES.join(', ')}`);
  return types;
}
