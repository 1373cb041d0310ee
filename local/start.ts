/**
 * `npm start`: with no arguments, plays the demo story against the built-in registry simulator
 * and an embedded DynamoDB; with a registry URL (flags or environment), watches that registry
 * until stopped, keeping its state in a local folder so a restart does not alert again.
 */
import { parseArgs } from 'node:util';
import { mkdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, parseMonitorConfig } from '../lambda/config.js';
import { type RegistryRunReport, totalOf } from '../lambda/monitor.js';
import type { RegistryCredentials } from '../lambda/registry/registry-client.js';
import { ConsoleNotifier } from './console-notifier.js';
import { startLocalMonitor } from './local-runtime.js';
import { DEMO_POLICY, playStory } from './story.js';

const USAGE = `Usage:
  npm start                                   play the demo story (simulated registry, embedded DynamoDB)
  npm start -- --url URL [options]            watch a real registry until Ctrl-C

Options (each also read from the environment variable in brackets):
  --url URL              registry base URL [SR_URL]
  --api-key KEY          Cloud API key or basic-auth user [SR_API_KEY]
  --api-secret SECRET    its secret [SR_API_SECRET]
  --exporters LIST       comma-separated names, or "all" (default) [SR_EXPORTERS]
  --interval SECONDS     time between runs, default 60 [SR_INTERVAL]
  --state-dir DIR        where the embedded DynamoDB keeps its data, default .local-state [SR_STATE_DIR]
  --insecure             allow an http:// URL (a lab registry)
  --slack                also print each message as the Slack (AWS Chatbot) JSON
  --help`;

/** The flags `npm start` takes; anything else is refused with one line, never a stack trace. */
const FLAGS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'api-secret': { type: 'string' },
  exporters: { type: 'string' },
  interval: { type: 'string' },
  'state-dir': { type: 'string' },
  'step-ms': { type: 'string' },
  insecure: { type: 'boolean' },
  slack: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
let values: Flags = {};

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The time budget of one run while watching a real registry: room for a slow registry and retries, whatever --interval is. */
const RUN_TIMEOUT_MS = 50_000;

/** The demo keeps its state where the CLI finds it: `npm run cli -- status --local .local-state/demo`. */
const DEMO_STATE_PATH = '.local-state/demo';

async function playDemo(): Promise<void> {
  // Each demo starts from a clean slate, or the story would meet its own past.
  rmSync(DEMO_STATE_PATH, { recursive: true, force: true });
  mkdirSync(DEMO_STATE_PATH, { recursive: true });
  const reports = await playStory({
    notifier: new ConsoleNotifier({ showSlack: values.slack === true, localStore: DEMO_STATE_PATH }),
    statePath: DEMO_STATE_PATH,
    pauseMs: Number(values['step-ms'] ?? 300),
    onStart: (simulator, monitor) => {
      say(`Demo: registry simulator at ${simulator.baseUrl}, embedded DynamoDB at ${monitor.dynamo.endpoint} (data in ${DEMO_STATE_PATH})`);
      say(`Demo policy: ${JSON.stringify(DEMO_POLICY)} (one run per simulated minute)\n`);
    },
    beforeStep: (step) => say(`--- minute ${step.minute}: ${step.narration}`),
  });
  const registries = reports.flatMap((r) => r.registries);
  const sum = (pick: (r: RegistryRunReport) => number) => totalOf(registries, pick);
  say(
    `\nSummary: ${reports.length} runs, ${sum((r) => r.exportersChecked)} exporter checks, ${sum((r) => r.requests)} registry requests, ` +
      `${sum((r) => r.eventsDecided)} events recorded, ${sum((r) => r.eventsDelivered)} messages sent, ${sum((r) => r.recordsWritten)} record writes.`,
  );
  say(`Look back at it: npm run cli -- status --local ${DEMO_STATE_PATH}   (also: history, incidents, report --html report.html)`);
  const errors = reports.flatMap((r) => r.errors);
  if (errors.length > 0) throw new AggregateError(errors.map((e) => e.error), 'some runs failed');
}

/** A URL the monitor would refuse, said in the words of this command: its flag, not the configuration's field. */
function checkUrlFlag(url: string): void {
  if (url.startsWith('http://') && values.insecure !== true) {
    throw new UsageError('--url is http://: add --insecure to watch a lab registry (credentials would travel in clear text)');
  }
}

/** A mistake on the command line: one line, and how to get the usage. */
class UsageError extends Error {}

async function watchRealRegistry(url: string): Promise<void> {
  checkUrlFlag(url);
  const apiKey = values['api-key'] ?? process.env.SR_API_KEY;
  const apiSecret = values['api-secret'] ?? process.env.SR_API_SECRET;
  const exporters = (values.exporters ?? process.env.SR_EXPORTERS ?? 'all').trim();
  const intervalSeconds = Number(values.interval ?? process.env.SR_INTERVAL ?? 60);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds < 5) throw new ConfigError('--interval', 'must be a number of seconds, at least 5');
  if ((apiKey === undefined) !== (apiSecret === undefined)) throw new ConfigError('--api-key/--api-secret', 'give both or neither');
  const config = parseMonitorConfig({
    registries: [
      {
        id: 'local',
        baseUrl: url,
        allowInsecureHttp: values.insecure === true,
        auth: apiKey ? { kind: 'basic', secretId: 'flags' } : { kind: 'none' },
        exporters: exporters === 'all' ? 'all' : exporters.split(',').map((name) => name.trim()).filter(Boolean),
      },
    ],
  });
  const credentials = new Map<string, RegistryCredentials>([
    ['local', apiKey && apiSecret ? { kind: 'basic', apiKey, apiSecret } : { kind: 'none' }],
  ]);
  const statePath = values['state-dir'] ?? process.env.SR_STATE_DIR ?? '.local-state';
  const monitor = await startLocalMonitor({
    config,
    credentials,
    notifier: new ConsoleNotifier({
      showSlack: values.slack === true,
      localStore: statePath,
      registryBaseUrls: new Map(config.registries.map((r) => [r.id, r.baseUrl])),
      registryAuth: new Map(config.registries.map((r) => [r.id, r.auth])),
    }),
    statePath,
    // Not tied to the interval: the loop sleeps only after a run has finished, so runs never
    // overlap, and a budget shorter than one request's timeout plus its margin reads nothing.
    runTimeoutMs: RUN_TIMEOUT_MS,
  });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  say(`Watching ${config.registries[0]!.baseUrl} every ${intervalSeconds} s; state in ${statePath}. Ctrl-C stops.`);
  try {
    while (!stop.signal.aborted) {
      const report = await monitor.run();
      for (const registry of report.registries) {
        say(
          `${new Date().toISOString()} checked ${registry.exportersChecked} exporter(s), ${registry.requests} request(s), ` +
            `${registry.eventsDelivered} message(s)${registry.failures.length ? `, failure: ${registry.failures[0]!.message}` : ''}`,
        );
      }
      for (const { error } of report.errors) say(`run failed: ${error.message}`);
      await sleep(intervalSeconds * 1000, undefined, { signal: stop.signal }).catch(() => {});
    }
  } finally {
    await monitor.close();
  }
}

async function main(): Promise<void> {
  try {
    values = parseArgs({ options: FLAGS }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; npm start -- --help lists the options`);
  }
  if (values.help) {
    say(USAGE);
    return;
  }
  const url = values.url ?? process.env.SR_URL;
  return url ? watchRealRegistry(url) : playDemo();
}

main().catch((error: Error) => {
  const label = error instanceof ConfigError ? 'Configuration error' : error instanceof UsageError ? 'Usage error' : 'Error';
  process.stderr.write(`${label}: ${error.message.split('\n', 1)[0]}\n`);
  process.exitCode = 1;
});
