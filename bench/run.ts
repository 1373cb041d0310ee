/**
 * `npm run bench`: how long a run of the real handler takes, what it asks of the registry,
 * DynamoDB and SNS, how fast the bundle starts, how much memory a large run needs, and what that
 * costs a month, against the ideal and a naive monitor. Prints a table and writes the same
 * figures to bench/results/latest.json (bench/results/quick.json with --quick).
 *
 *   npm run bench                       full set (about 9 minutes on 2 cores)
 *   npm run bench -- --quick            smaller set, a smoke test (the transport floor still reads 1,000)
 *   npm run bench -- --latency 50       registry latency per request, ms (default 20)
 *   npm run bench -- --rps 75           the monitor's request budget per registry (default 50)
 *   npm run bench -- --profile DIR      only 1,000 exporters x 1 registry, a CPU profile of each
 *                                       invocation in DIR; summarize with npx tsx bench/top-costs.ts DIR
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REGISTRY_DEFAULTS } from '../lambda/config.js';
import { bundleHandler, bundleSdkBaseline } from './bundle.js';
import { measureBundleMemory, measureColdImports } from './bundle-runs.js';
import { CANARY_MEMORY_MB, PRICES, RUNS_PER_MONTH } from './cost.js';
import { type FanOutConfig, runFanOut } from './fan-out.js';
import { measureTransportFloor } from './transport-floor.js';
import { PROFILE_ENV } from './protocol.js';
import { budgetTally, checkTargets, renderReport, summarize } from './report.js';
import { type BenchConfig, type ConfigResult, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_MS, LAMBDA_NODE_ARGS, PROJECT_ROOT, runConfig } from './scenario.js';

/** The full set's figures; a --quick smoke run writes quick.json, so it never replaces them. */
const resultsFile = (quick: boolean) => join(PROJECT_ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json');

/**
 * The benchmark's budget: 50 requests/s per registry. The handler's default (20/s) cannot read
 * 1,000 exporters of one registry within the function's 50 s timeout (1,001 requests take 51 s at
 * 20/s, and reading stops 6 s before the reading deadline at 0.8 x 50 - 3 = 37 s), so such a
 * deployment must raise it; 50/s stays well under Confluent Cloud's 75 reads/s per cluster. One
 * extra configuration shows 100 exporters with the defaults.
 */
const DEFAULT_BENCH_RPS = 50;

/**
 * The scale issue's deployment: 10,000 exporters over 50 registries, 200 each, one invocation per
 * registry. Ten workers take the 50 invocations of a run side by side (Lambda would run all 50 at
 * once; on 2 cores ten keep the machine busy without measuring its queueing).
 */
const FAN_OUT_EXPORTERS = 10_000;
const FAN_OUT_REGISTRIES = 50;
const FAN_OUT_WORKERS = 10;

/** Reads of every exporter the transport floor's median is taken over (after one warm-up read). */
const TRANSPORT_FLOOR_SAMPLES = 3;
/** Status reads in each of the transport floor's samples. */
const TRANSPORT_FLOOR_EXPORTERS = 1000;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'string' },
      latency: { type: 'string', default: '20' },
      rps: { type: 'string', default: String(DEFAULT_BENCH_RPS) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--quick] [--latency MS] [--rps REQUESTS_PER_SECOND] [--profile DIR]');
    process.exit(0);
  }
  const latencyMs = Number(values.latency);
  const requestsPerSecond = Number(values.rps);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`--latency must be a number of ms, got ${values.latency}`);
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond < 0.1 || requestsPerSecond > 75) {
    throw new Error(`--rps must be from 0.1 to 75 (the configuration's range), got ${values.rps}`);
  }
  return { quick: values.quick, latencyMs, requestsPerSecond, ...(values.profile !== undefined && { profileDir: resolve(values.profile) }) };
}

/** The CPU target's configuration, profiled; nothing else is measured. */
async function profile(dir: string, latencyMs: number, requestsPerSecond: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  process.env[PROFILE_ENV] = dir;
  const config: BenchConfig = { exporters: 1000, registries: 1, requestsPerSecond, concurrency: REGISTRY_DEFAULTS.concurrency, latencyMs, samples: 3 };
  const result = await runConfig(config, (line) => process.stderr.write(`${line}\n`));
  for (const run of result.runs) process.stdout.write(`${run.scenario.padEnd(8)} cpu ${run.cpuMs.toFixed(0)} ms = ${(run.cpuMs / config.exporters).toFixed(3)} ms per exporter\n`);
  process.stdout.write(`profiles in ${dir}: npx tsx bench/top-costs.ts ${dir}\n`);
}

function configurations(quick: boolean, latencyMs: number, requestsPerSecond: number): BenchConfig[] {
  const concurrency = REGISTRY_DEFAULTS.concurrency;
  const sizes = quick ? [10, 100] : [10, 100, 1000];
  const samples = (exporters: number) => (quick || exporters >= 1000 ? 1 : exporters <= 10 ? 5 : 3);
  const matrix = sizes.flatMap((exporters) =>
    [1, 3].map((registries) => ({ exporters, registries, requestsPerSecond, concurrency, latencyMs, samples: samples(exporters) })),
  );
  const defaults: BenchConfig[] =
    quick || requestsPerSecond === REGISTRY_DEFAULTS.requestsPerSecond
      ? []
      : [{ exporters: 100, registries: 1, requestsPerSecond: REGISTRY_DEFAULTS.requestsPerSecond, concurrency, latencyMs, samples: 1, note: 'handler defaults' }];
  return [...matrix, ...defaults];
}

function machine() {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    cpuModel,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main(): Promise<void> {
  const began = Date.now();
  const { quick, latencyMs, requestsPerSecond, profileDir } = options();
  if (profileDir !== undefined) return profile(profileDir, latencyMs, requestsPerSecond);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const host = machine();
  const loadAtStart = loadavg();
  if (Number(process.versions.node.split('.')[0]) < 24) progress(`warning: running on Node ${process.version}; the function runs on Node 24 (use npm run bench)`);
  progress(`benchmark on ${host.cpuModel}, ${host.cores} cores, Node ${host.node}; load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`);

  const workDir = mkdtempSync(join(tmpdir(), 'exporter-monitor-bench-'));
  try {
    progress('bundling the handler and the SDK-only baseline with esbuild (CDK options)');
    const handlerBundle = await bundleHandler(join(workDir, 'handler'));
    const baselineBundle = await bundleSdkBaseline(join(workDir, 'baseline'));
    const importSamples = quick ? 5 : 20;
    progress(`cold imports: ${importSamples} fresh processes per bundle`);
    const importEnv = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'schema-exporter-monitor',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:exporter-alerts',
      MONITOR_CONFIG: JSON.stringify({ registries: [{ id: 'prod', baseUrl: 'https://psrc-00000.us-east-1.aws.confluent.cloud' }] }),
      POWERTOOLS_SERVICE_NAME: 'schema-exporter-monitor',
      POWERTOOLS_METRICS_NAMESPACE: 'SchemaExporterMonitor',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(FUNCTION_MEMORY_MB),
    };
    const coldImport = await measureColdImports(handlerBundle, baselineBundle, importEnv, importSamples);

    const results: ConfigResult[] = [];
    for (const config of configurations(quick, latencyMs, requestsPerSecond)) {
      progress(`${config.exporters} exporters x ${config.registries} registr${config.registries === 1 ? 'y' : 'ies'} @${config.requestsPerSecond}/s${config.note ? ` (${config.note})` : ''}`);
      results.push(await runConfig(config, progress));
    }

    // Over 3 registries: one registry rarely has more than ~100 exporters (schema links per cluster),
    // a deployment watching several is the realistic way to 1,000; and three registries write at once.
    const memoryConfig: BenchConfig = {
      exporters: quick ? 100 : 1000,
      registries: 3,
      requestsPerSecond,
      concurrency: REGISTRY_DEFAULTS.concurrency,
      latencyMs,
      samples: 1,
    };
    progress(`memory: the bundle, ${memoryConfig.exporters} exporters x ${memoryConfig.registries} registries, one fresh process per run`);
    const memory = await measureBundleMemory(handlerBundle, memoryConfig, progress);

    const fanOutConfig: FanOutConfig = {
      exporters: quick ? 1000 : FAN_OUT_EXPORTERS,
      registries: quick ? 5 : FAN_OUT_REGISTRIES,
      requestsPerSecond,
      concurrency: REGISTRY_DEFAULTS.concurrency,
      latencyMs,
      workers: quick ? 2 : FAN_OUT_WORKERS,
      runs: 2,
    };
    progress(`fan-out: ${fanOutConfig.exporters} exporters x ${fanOutConfig.registries} registries, one invocation per registry per run, ${fanOutConfig.workers} workers`);
    const fanOut = await runFanOut(fanOutConfig, progress);

    // Always 1,000 reads, the size the CPU targets are set at: at 100 the fixed costs of a read
    // dominate (1.06 ms a read against 0.48), so a smaller floor could not be read beside them.
    const floorConfig: BenchConfig = { ...memoryConfig, exporters: TRANSPORT_FLOOR_EXPORTERS, samples: 1 };
    const floorSamples = quick ? 1 : TRANSPORT_FLOOR_SAMPLES;
    progress(`transport floor: Node's HTTP client alone, ${floorConfig.exporters} status reads x ${floorSamples}`);
    const transportFloor = await measureTransportFloor(floorConfig, floorSamples);

    const summaries = results.map(summarize);
    const allRuns = results.flatMap((result) => result.runs);
    // The floor is Node's client, not the monitor: its refused answers are reported in its own section.
    const budget = [
      budgetTally('runs by configuration', allRuns.map((run) => ({ registryRequests: run.registryRequests.reduce((a, b) => a + b, 0), overBudget: run.overBudget }))),
      budgetTally('bundle memory runs', [memory]),
      budgetTally('fan-out runs', fanOut.sentByRun),
    ];
    const targetInputs = { summaries, primaryRequestsPerSecond: requestsPerSecond, memory, fanOut, transportFloor, coldImport, budget };
    const targets = checkTargets(targetInputs);
    const text = renderReport({ ...targetInputs, handlerBundle, baselineBundle, targets, latencyMs, concurrency: REGISTRY_DEFAULTS.concurrency });
    const loadAtEnd = loadavg();
    const RESULTS = resultsFile(quick);
    const durationMs = Date.now() - began;
    process.stdout.write(`\n${text}`);
    process.stdout.write(
      `\nmachine: ${host.cpuModel}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}; ` +
        `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}\n` +
        `benchmark took ${(durationMs / 1000).toFixed(0)} s; figures in ${RESULTS}\n`,
    );

    mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
    const document = {
      generatedAt: new Date().toISOString(),
      options: { quick, latencyMs, requestsPerSecond, concurrency: REGISTRY_DEFAULTS.concurrency, importSamples },
      machine: { ...host, loadAverage: { start: loadAtStart, end: loadAtEnd } },
      function: { memoryMb: FUNCTION_MEMORY_MB, timeoutMs: FUNCTION_TIMEOUT_MS, nodeArgs: LAMBDA_NODE_ARGS, runsPerMonth: RUNS_PER_MONTH },
      prices: { ...PRICES, canaryMemoryMb: CANARY_MEMORY_MB },
      configurations: summaries,
      startup: { handlerBundle: { bytes: handlerBundle.bytes, sourceMapBytes: handlerBundle.sourceMapBytes }, baselineBundle: { bytes: baselineBundle.bytes, sourceMapBytes: baselineBundle.sourceMapBytes }, coldImport },
      memory,
      fanOut,
      transportFloor,
      rate: { ...budgetTally('all', budget), byPart: budget },
      targets,
      /** Every run, as measured. */
      runs: results.map((result) => ({ config: result.config, workerImportMs: result.workerImportMs, workerRssAfterImportKiB: result.rssAfterImportKiB, customMetrics: result.customMetrics, runs: result.runs })),
      benchmarkDurationMs: durationMs,
      table: text,
    };
    const temporary = `${RESULTS}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(RESULTS, readFileSync(temporary));
    rmSync(temporary);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
