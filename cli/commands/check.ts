/**
 * `check`: one live read of a registry, like `confluent schema-registry exporter status describe`
 * for every exporter at once, with each trace reduced to its root cause. Writes no state and sends
 * nothing, so it is safe to run at any time, also without AWS access.
 */
import type { Command } from 'commander';
import { parseRegistryConfig, parseUrl, REGISTRY_DEFAULTS, type RegistryConfig } from '../../lambda/config.js';
import { MISSING, type ExporterObservation } from '../../lambda/core/model.js';
import { summarizeTrace } from '../../lambda/core/trace.js';
import { deadlineIn, START_MARGIN_MS } from '../../lambda/deadline.js';
import { readRegistry } from '../../lambda/registry/read-registry.js';
import { RegistryClient, type RegistryCredentials } from '../../lambda/registry/registry-client.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { withFormat } from '../options.js';
import { type Column, formatOf, type FormatOptions, render } from '../output.js';
import { causeColumn, stateColor } from '../present.js';
import { formatDuration, formatTime, isoTime } from '../time.js';
import { VERIFY_COLUMNS, verifyDrift, verifyJson } from '../verify.js';
import { CHECK_EXIT, exitCodeOf, readProblems, summaryLine, worstFirst } from '../check-outcome.js';

interface CheckOptions extends FormatOptions {
  readonly url?: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly exporters?: string;
  readonly insecure?: boolean;
  readonly timeout: string;
  readonly verify?: boolean;
  readonly destinationUrl?: string;
  readonly destinationApiKey?: string;
  readonly destinationApiSecret?: string;
}

/** Below this, even the shortest request timeout and its start margin leave no room for a second request. */
const MIN_TIMEOUT_SECONDS = 2;
const MIN_REQUEST_TIMEOUT_MS = 500;

interface CheckRow {
  readonly exporterName: string;
  readonly state: string;
  readonly offset: number | null;
  readonly ts: number | null;
  readonly rootCause?: string;
  readonly errorCode?: number;
}

export function registerCheck(program: Command, context: CommandContext): void {
  const command = program
    .command('check')
    .description('read every exporter of a registry now and print its status and root cause (writes nothing)')
    .option('--url <url>', 'registry base URL [SR_URL]')
    .option('--api-key <key>', 'Cloud API key or basic-auth user [SR_API_KEY]')
    .option('--api-secret <secret>', 'its secret [SR_API_SECRET]')
    .option('--exporters <names>', 'comma-separated exporter names, or "all" [SR_EXPORTERS]')
    .option('--insecure', 'allow an http:// URL (a lab registry; credentials travel in clear text)')
    .option('--timeout <seconds>', `give up after this long, at least ${MIN_TIMEOUT_SECONDS}`, '60')
    .option('--verify', 'also compare the source with the destination registry, as drift detection does, and print what is missing')
    .option('--destination-url <url>', 'with --verify: the destination registry [DEST_SR_URL]')
    .option('--destination-api-key <key>', "with --verify: the destination's own key [DEST_SR_API_KEY]")
    .option('--destination-api-secret <secret>', 'its secret [DEST_SR_API_SECRET]');
  withFormat(command).action(async (options: CheckOptions) => {
    const env = context.io.env;
    const config = checkConfig(options.url ?? env.SR_URL, options.exporters ?? env.SR_EXPORTERS ?? 'all', options.insecure === true);
    const timeoutSeconds = Number(options.timeout);
    if (!(timeoutSeconds >= MIN_TIMEOUT_SECONDS)) {
      throw new CliError(`--timeout must be a number of seconds, at least ${MIN_TIMEOUT_SECONDS}, got "${options.timeout}"`);
    }
    const requestTimeoutMs = requestTimeoutFor(timeoutSeconds);
    const client = new RegistryClient({
      baseUrl: config.baseUrl,
      credentials: credentials(options.apiKey ?? env.SR_API_KEY, options.apiSecret ?? env.SR_API_SECRET),
      requestsPerSecond: config.requestsPerSecond,
      concurrency: config.concurrency,
      requestTimeoutMs,
    });
    context.progress.update(`reading ${config.baseUrl}`);
    const reading = await readRegistry({ ...config, requestTimeoutMs }, client, [], deadlineIn(timeoutSeconds * 1000), {
      onStatusRead: (done, total) => context.progress.update(`reading ${config.baseUrl}: ${done} of ${total} exporters`),
    });
    context.progress.done();
    if (reading.requestCount === 0 && reading.observations.size === 0) {
      throw new CliError(`--timeout ${options.timeout} is too short: no request to ${config.baseUrl} could start in time; give it more seconds`);
    }
    const problems = readProblems(reading);
    if (reading.observations.size === 0 && problems.length > 0) {
      if (problems.length === 1) throw new CliError(`cannot read ${config.baseUrl}: ${problems[0]}`, CHECK_EXIT.unread);
      for (const problem of problems) context.io.stderr.write(`warning: ${problem}\n`);
      throw new CliError(`cannot read ${config.baseUrl}: none of ${problems.length} reads succeeded (above)`, CHECK_EXIT.unread);
    }

    const rows = worstFirst([...reading.observations].map(([name, observation]) => checkRow(name, observation)));
    if (options.verify) {
      const destinationUrl = options.destinationUrl ?? env.DEST_SR_URL;
      if (destinationUrl === undefined) throw new CliError('--verify needs the destination registry: --destination-url URL or DEST_SR_URL');
      const destination = checkConfig(destinationUrl, 'all', options.insecure === true, '--destination-url');
      const destinationClient = new RegistryClient({
        baseUrl: destination.baseUrl,
        credentials: credentials(options.destinationApiKey ?? env.DEST_SR_API_KEY, options.destinationApiSecret ?? env.DEST_SR_API_SECRET, '--destination-api-key', '--destination-api-secret'),
        requestsPerSecond: destination.requestsPerSecond,
        concurrency: destination.concurrency,
        requestTimeoutMs,
      });
      context.progress.update(`comparing ${config.baseUrl} with ${destination.baseUrl}`);
      const verified = await verifyDrift(client, destinationClient, reading.observations, deadlineIn(timeoutSeconds * 1000));
      context.progress.done();
      render(context.io, formatOf(options), { rows: verified, columns: VERIFY_COLUMNS, empty: `No RUNNING exporter on ${config.baseUrl} to verify.`, json: verifyJson });
      return;
    }
    render(context.io, formatOf(options), {
      rows,
      columns: columns(context.now),
      empty: `No exporters on ${config.baseUrl}.`,
      json: (row) => ({ exporter: row.exporterName, state: row.state, offset: row.offset, ts: isoTime(row.ts ?? undefined), rootCause: row.rootCause ?? null, errorCode: row.errorCode ?? null }),
    });
    const states = rows.map((row) => row.state);
    // Each failed read is one exporter not read, like each one skipped.
    if (formatOf(options) === 'table') context.io.stdout.write(`${summaryLine(states, problems.length)}\n`);
    for (const problem of problems) context.io.stderr.write(`warning: ${problem}\n`);
    context.exitWith(exitCodeOf(states, problems.length));
  });
}

/**
 * The registry client starts no request with less than its request timeout plus START_MARGIN_MS
 * left, so with the monitor's 5 s request timeout a short --timeout would read nothing at all.
 * Half of what is left after the margin lets the listing and at least one status read start;
 * never more than the monitor's own timeout, never so little that a normal answer cannot arrive.
 */
export function requestTimeoutFor(timeoutSeconds: number): number {
  const fitting = Math.floor((timeoutSeconds * 1000 - START_MARGIN_MS) / 2);
  return Math.min(REGISTRY_DEFAULTS.requestTimeoutMs, Math.max(MIN_REQUEST_TIMEOUT_MS, fitting));
}

/** The same validation as the monitor's configuration, so `check` accepts exactly what the monitor would. */
function checkConfig(url: string | undefined, exporters: string, insecure: boolean, flag = '--url'): RegistryConfig {
  if (url === undefined) throw new CliError('check needs the registry: --url URL or SR_URL');
  if (url.startsWith('http://') && !insecure) throw new CliError(`${flag} is http://: add --insecure for a lab registry (credentials would travel in clear text)`);
  // Throws a one-line ConfigError naming the flag, as the monitor's configuration would.
  parseUrl(url, flag, insecure);
  const names = exporters.trim() === 'all' ? 'all' : exporters.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new CliError('--exporters: give "all" or a comma-separated list of names');
  return parseRegistryConfig({ id: 'check', baseUrl: url, allowInsecureHttp: insecure, exporters: names }, 'check');
}

function credentials(apiKey: string | undefined, apiSecret: string | undefined, keyFlag = '--api-key', secretFlag = '--api-secret'): RegistryCredentials {
  if ((apiKey === undefined) !== (apiSecret === undefined)) throw new CliError(`${keyFlag} and ${secretFlag} go together: give both or neither`);
  return apiKey && apiSecret ? { kind: 'basic', apiKey, apiSecret } : { kind: 'none' };
}

function checkRow(exporterName: string, observation: ExporterObservation): CheckRow {
  if (observation.kind === 'missing') return { exporterName, state: MISSING, offset: null, ts: null };
  const { state, offset, ts, trace } = observation.status;
  const { rootCause, errorCode } = summarizeTrace(trace);
  return { exporterName, state, offset, ts, ...(rootCause !== undefined && { rootCause }), ...(errorCode !== undefined && { errorCode }) };
}

function movedAgo(ts: number, now: number): string {
  const shown = formatTime(ts);
  return shown === 'unknown' ? shown : `${shown} (${formatDuration(now - ts)} ago)`;
}

/** `now` is the CLI's clock, for how long ago the offset moved. */
function columns(now: number): Column<CheckRow>[] {
  return [
    { header: 'EXPORTER', value: (row) => row.exporterName, maxWidth: 48 },
    { header: 'STATE', value: (row) => row.state, color: (row, colors) => stateColor(row.state, colors) },
    { header: 'OFFSET', value: (row) => (row.offset === null ? '' : String(row.offset)), align: 'right' },
    // The registry's `ts` marks the last record exported: when the offset last moved, as it sees it.
    { header: 'OFFSET MOVED', value: (row) => (row.ts === null ? '' : movedAgo(row.ts, now)) },
    { header: 'ERROR CODE', value: (row) => (row.errorCode === undefined ? '' : String(row.errorCode)) },
    { ...causeColumn<CheckRow>((row) => row.rootCause ?? ''), header: 'ROOT CAUSE' },
  ];
}
