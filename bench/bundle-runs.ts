/**
 * Figures taken from the real esbuild bundle rather than the TypeScript sources: its cold import
 * time against an SDK-only baseline, and the peak memory of a 1,000-exporter run.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startEmbeddedDynamo } from '../local/dynamo-table.js';
import type { BuiltBundle } from './bundle.js';
import { startFakeAws } from './fake-aws.js';
import { median } from './model.js';
import { MEMORY_ENV, type MemoryPeaks, TIMEOUT_ENV } from './protocol.js';
import {
  type BenchConfig,
  closeRegistries,
  LAMBDA_NODE_ARGS,
  lambdaEnv,
  lambdaNodeArgs,
  MAX_CATCH_UP_RUNS,
  MEMORY_TARGET_MB,
  PROJECT_ROOT,
  recordWrites,
  type Registry,
  type RequestsSent,
  requestsSentTo,
  setAllExporters,
  startRegistries,
} from './scenario.js';
import { WorkerProcess } from './worker-process.js';

const run = promisify(execFile);

/** Imports a bundle in a fresh process and says how long the import took and how much memory it left. */
const IMPORT_PROBE = `
const started = performance.now();
const module = await import(process.env.BENCH_BUNDLE_URL);
const imported = performance.now();
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ importMs: imported - started, sinceProcessStartMs: imported, maxRssKiB: process.resourceUsage().maxRSS }));
`;

export interface ImportTimes {
  /** `await import(bundle)`, ms. */
  readonly importMs: number[];
  /** From the process's time origin to the handler being ready, ms. */
  readonly sinceProcessStartMs: number[];
  readonly maxRssKiB: number[];
}

export interface ColdImportResult {
  readonly samples: number;
  readonly handler: ImportTimes;
  readonly baseline: ImportTimes;
  readonly handlerMedianMs: number;
  readonly baselineMedianMs: number;
  readonly ratio: number;
}

/**
 * Median cold import of each bundle over `samples` fresh `node` processes, the two bundles taking
 * turns so that a burst of load on the machine hits both alike; the first `warmups` of each are
 * discarded (they fill the page cache).
 */
export async function measureColdImports(handler: BuiltBundle, baseline: BuiltBundle, env: Record<string, string>, samples: number, warmups = 2): Promise<ColdImportResult> {
  const times = { handler: emptyTimes(), baseline: emptyTimes() };
  for (let i = 0; i < warmups + samples; i += 1) {
    for (const [name, bundle] of [['handler', handler], ['baseline', baseline]] as const) {
      const { stdout } = await run(process.execPath, [...LAMBDA_NODE_ARGS, '--input-type=module', '-e', IMPORT_PROBE], {
        cwd: dirname(bundle.file),
        env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(bundle.file).href },
      });
      if (i < warmups) continue;
      const probe = JSON.parse(stdout) as { importMs: number; sinceProcessStartMs: number; maxRssKiB: number };
      times[name].importMs.push(probe.importMs);
      times[name].sinceProcessStartMs.push(probe.sinceProcessStartMs);
      times[name].maxRssKiB.push(probe.maxRssKiB);
    }
  }
  const handlerMedianMs = median(times.handler.importMs);
  const baselineMedianMs = median(times.baseline.importMs);
  return { samples, ...times, handlerMedianMs, baselineMedianMs, ratio: handlerMedianMs / baselineMedianMs };
}

function emptyTimes(): ImportTimes {
  return { importMs: [], sinceProcessStartMs: [], maxRssKiB: [] };
}

/** Where the invoker imports the Lambda context from, next to it: local/lambda-context.ts built to plain JavaScript. */
const LAMBDA_CONTEXT_MODULE = 'lambda-context.mjs';

/** Invokes the bundled handler as the Lambda runtime would (a context whose remaining time counts down). */
const INVOKER = `
import { lambdaContext } from './${LAMBDA_CONTEXT_MODULE}';
const timeoutMs = Number(process.env.${TIMEOUT_ENV});
const memoryMb = Number(process.env.${MEMORY_ENV});
const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
process.send({ type: 'ready', importMs: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS });
let invocation = 0;
process.on('message', async (message) => {
  if (message.type === 'exit') process.exit(0);
  invocation += 1;
  const context = lambdaContext(timeoutMs, { memoryMb, requestId: 'bench-' + invocation });
  const peaks = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(peaks)) peaks[key] = Math.max(peaks[key], usage[key]);
  };
  const sampler = setInterval(sample, 20);
  const cpuBefore = process.cpuUsage();
  const begin = performance.now();
  let outcome;
  try {
    outcome = { result: await handler({}, context) };
  } catch (error) {
    outcome = { error: String(error) };
  }
  const durationMs = performance.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  sample();
  process.send({ type: 'invoked', durationMs, cpuMs: (cpu.user + cpu.system) / 1000, ...outcome, maxRssKiB: process.resourceUsage().maxRSS, memoryPeaks: peaks });
});
`;

type InvokerMessage =
  | { readonly type: 'ready'; readonly importMs: number; readonly maxRssKiB: number }
  | {
      readonly type: 'invoked';
      readonly durationMs: number;
      readonly cpuMs: number;
      readonly error?: string;
      readonly result?: unknown;
      readonly maxRssKiB: number;
      readonly memoryPeaks: MemoryPeaks;
    };

export interface MemoryRun {
  readonly scenario: 'first' | 'steady' | 'storm';
  /** Peak RSS of the fresh process after importing the bundle (KiB). */
  readonly afterImportKiB: number;
  /** Peak RSS of the process after its one run (KiB): what the run needed, cold start included. */
  readonly peakKiB: number;
  readonly durationMs: number;
  readonly cpuMs: number;
  readonly snsEntries: number;
  /** Peaks of process.memoryUsage() sampled every 20 ms during the run: what the RSS is made of. */
  readonly memoryPeaks: MemoryPeaks;
}

/** The requests are those of every invocation, catch-up runs included. */
export interface MemoryResult extends RequestsSent {
  readonly exporters: number;
  readonly registries: number;
  readonly runs: readonly MemoryRun[];
  readonly anomalies: readonly string[];
}

/** Samples of each scenario; the target is judged on their median. */
export const MEMORY_SAMPLES = 3;

/**
 * Peak memory of the bundled function, one fresh process per run so that no run inherits another's
 * peak: the first run (records every exporter), a steady run (nothing changed), a storm run (every
 * exporter changed and announced), MEMORY_SAMPLES times each, every sample on a fresh table. Runs
 * that still catch up after the first one (definitions of more exporters than one run had time
 * for) go between first and steady, unmeasured. Each process is a cold start followed by that one
 * invocation. SNS and Secrets Manager are local fakes here, because the bundle carries its own SDK.
 */
export async function measureBundleMemory(bundle: BuiltBundle, config: BenchConfig, progress: (line: string) => void): Promise<MemoryResult> {
  const invoker = join(dirname(bundle.file), 'bench-invoke.mjs');
  writeFileSync(invoker, INVOKER);
  // the invoker runs without tsx, like the bundle it measures
  await build({
    entryPoints: [join(PROJECT_ROOT, 'local', 'lambda-context.ts')],
    outfile: join(dirname(bundle.file), LAMBDA_CONTEXT_MODULE),
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  let registries: Registry[] = [];
  let fakeAws: Awaited<ReturnType<typeof startFakeAws>> | undefined;
  const anomalies: string[] = [];
  const runs: MemoryRun[] = [];
  const budget = { registryRequests: 0, overBudget: 0 };
  try {
    registries = await startRegistries(config);
    fakeAws = await startFakeAws(Object.fromEntries(registries.map((r) => [r.secretId, r.secretValue])));
    for (let sample = 1; sample <= MEMORY_SAMPLES; sample += 1) {
      const dynamo = await startEmbeddedDynamo();
      try {
        setAllExporters(registries, 'RUNNING', 1000);
        const env = {
          ...lambdaEnv(registries, dynamo.endpoint, config),
          AWS_ENDPOINT_URL_SNS: fakeAws.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: fakeAws.endpoint,
          BENCH_BUNDLE_URL: pathToFileURL(bundle.file).href,
        };
        const invokeFresh = async (label: string) => {
          for (const registry of registries) registry.simulator.resetStats();
          dynamo.resetOperations();
          const entriesBefore = fakeAws!.published.entries;
          const { worker, first } = await WorkerProcess.start<InvokerMessage>({
            script: invoker,
            execArgv: lambdaNodeArgs(MEMORY_TARGET_MB),
            env,
            cwd: PROJECT_ROOT,
            label: `bundle-${config.exporters}x${config.registries}-${label}-${sample}`,
          });
          try {
            if (first.type !== 'ready') throw new Error(`the bundle did not load: ${JSON.stringify(first)}`);
            const reply = await worker.request({ type: 'invoke' });
            if (reply.type !== 'invoked') throw new Error(`unexpected reply: ${JSON.stringify(reply)}`);
            if (reply.error) anomalies.push(`bundle ${label} run failed: ${reply.error}`);
            const sent = requestsSentTo(registries);
            budget.registryRequests += sent.registryRequests;
            budget.overBudget += sent.overBudget;
            if (sent.overBudget > 0) anomalies.push(`bundle ${label} run: ${sent.overBudget} registry request(s) over the budget`);
            return { first, reply, snsEntries: fakeAws!.published.entries - entriesBefore, recordWrites: recordWrites(dynamo.operations, registries.length) };
          } finally {
            await worker.stop();
          }
        };
        for (const scenario of ['first', 'steady', 'storm'] as const) {
          if (scenario === 'steady') {
            for (let i = 0; i < MAX_CATCH_UP_RUNS && (await invokeFresh('catch-up')).recordWrites > 0; i += 1);
          }
          if (scenario === 'storm') setAllExporters(registries, 'PAUSED', 1001);
          const { first, reply, snsEntries } = await invokeFresh(scenario);
          const expected = scenario === 'storm' ? config.exporters : 0;
          if (snsEntries !== expected) anomalies.push(`bundle ${scenario} run published ${snsEntries} SNS entries, expected ${expected}`);
          runs.push({ scenario, afterImportKiB: first.maxRssKiB, peakKiB: reply.maxRssKiB, durationMs: reply.durationMs, cpuMs: reply.cpuMs, snsEntries, memoryPeaks: reply.memoryPeaks });
          progress(`  bundle ${scenario.padEnd(6)} ${reply.durationMs.toFixed(0).padStart(6)} ms  peak RSS ${(reply.maxRssKiB / 1024).toFixed(1)} MiB`);
        }
      } finally {
        await dynamo.close();
      }
    }
    return { exporters: config.exporters, registries: config.registries, runs, ...budget, anomalies };
  } finally {
    await fakeAws?.close();
    await closeRegistries(registries);
  }
}
