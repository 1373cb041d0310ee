/**
 * `exporter-monitor`: the on-call view of the monitor's table, and a live check of a registry.
 * `runCli` is the whole program with its io passed in: main.ts hands it the process, tests hand it buffers.
 */
import { Command, CommanderError, Option } from 'commander';
import { REGISTRY_DEFAULTS } from '../lambda/config.js';
import { registerCheck } from './commands/check.js';
import { registerForget } from './commands/forget.js';
import { registerHistory } from './commands/history.js';
import { registerIncidents } from './commands/incidents.js';
import { registerReport } from './commands/report.js';
import { registerSilence } from './commands/silence.js';
import { registerStatus } from './commands/status.js';
import { registerUnsilence } from './commands/unsilence.js';
import type { CommandContext } from './context.js';
import { CliError, describeError } from './errors.js';
import { type CliIo, progressFor } from './io.js';
import { openTarget } from './open-target.js';
import { DEFAULT_LOCAL_DIR, DEFAULT_STACK, type Target, type TargetOptions } from './target.js';
import { parseDays } from './time.js';

const COMMANDS = [registerStatus, registerHistory, registerIncidents, registerReport, registerSilence, registerUnsilence, registerForget, registerCheck];

const EXAMPLES = `
Examples:
  exporter-monitor status                                   every exporter of the deployed monitor (AWS)
  exporter-monitor --local status                           the same for \`npm start -- --url\` (.local-state)
  exporter-monitor history --registry prod --exporter orders-link --since 7d
  exporter-monitor incidents --open --json
  exporter-monitor report --since 7d --html week.html
  exporter-monitor silence --registry prod --exporter orders-link --until 2h --reason "CHG-1234 migration"
  exporter-monitor forget --registry prod --exporter audit-link --reason "deleted on purpose, CHG-1234"
  exporter-monitor check --url https://psrc-00000.region.provider.confluent.cloud   (credentials: SR_API_KEY, SR_API_SECRET)`;

/**
 * `--local [dir]` takes an optional folder, so `--local status` would read a folder called
 * "status" and run no command. A command name right after it is the command, and the folder the
 * default (a folder with a command's name can still be given as `--local ./status`).
 */
function localBeforeCommand(argv: readonly string[], commands: readonly string[]): string[] {
  const at = argv.indexOf('--local');
  const next = argv[at + 1];
  if (at === -1 || next === undefined || !commands.includes(next)) return [...argv];
  return [...argv.slice(0, at + 1), DEFAULT_LOCAL_DIR, ...argv.slice(at + 1)];
}

/** Runs one command line (without the program name) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let target: Promise<Target> | undefined;
  const program = new Command('exporter-monitor')
    .description('Status, history, incidents and reports of the schema exporter monitor, from its DynamoDB table or the local store')
    .addOption(
      new Option('--local [dir]', `read the local store of \`npm start -- --url\` instead of AWS (default ${DEFAULT_LOCAL_DIR})`).conflicts([
        'table',
        'stack',
        'region',
        'profile',
      ]),
    )
    .option('--table <name>', 'the DynamoDB table (default: the stack output TableName)')
    .option('--stack <name>', 'the CloudFormation stack that deployed the monitor', DEFAULT_STACK)
    .option('--region <region>', 'AWS region (default: the standard AWS configuration)')
    .option('--profile <profile>', 'AWS profile (default: the standard credential chain)')
    .option(
      '--history-retention-days <days>',
      `days the monitor keeps history, for what \`forget\` adds to it (default: the stack output HistoryRetentionDays; with --table or --local, ${REGISTRY_DEFAULTS.historyRetentionDays})`,
      (value: string) => parseDays(value, '--history-retention-days'),
    )
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  const progress = progressFor(io);
  let exitCode = 0;
  const context: CommandContext = {
    io,
    now: (io.now ?? Date.now)(),
    progress,
    target: () => (target ??= openTarget(program.opts<TargetOptions>())),
    exitWith: (code) => {
      exitCode = code;
    },
  };
  for (const register of COMMANDS) register(program, context);
  try {
    await program.parseAsync(localBeforeCommand(argv, program.commands.map((command) => command.name())), { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its own errors and help.
    if (error instanceof CommanderError) return error.exitCode;
    progress.done();
    const where = await target?.then((opened) => opened.label, () => undefined);
    io.stderr.write(`error: ${describeError(error, where)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  } finally {
    await target?.then((opened) => opened.close(), () => undefined);
  }
}
