/**
 * One benchmark configuration (N exporters over R registries): fresh dynalite, one registry
 * simulator per registry (real HTTP, fixed latency, the monitor's budget enforced), and a fresh
 * Lambda worker running the real handler. Runs a warm-up, the steady-state samples and the storm
 * samples, and returns what each run cost.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_ENV, encodeConfigEnv } from '../lambda/config-env.js';
import { LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../local/dynamo-table.js';
import { RegistrySimulator, SAMPLE_TRACE } from '../local/simulator.js';
import { exporterSplit } from './model.js';
import { type InvocationResult, MEMORY_ENV, PROFILE_ENV, SECRETS_ENV, TIMEOUT_ENV, type WorkerMessage } from './protocol.js';
import { WorkerProcess } from './worker-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = dirname(HERE);
export const WORKER = join(HERE, 'lambda-worker.ts');

/** The function as the CDK construct deploys it by default for a 1-minute schedule. */
export const FUNCTION_TIMEOUT_MS = 50_000;
export const FUNCTION_MEMORY_MB = 256;
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:exporter-alerts';

/**
 * The heap limits the Lambda Node.js runtime's bootstrap derives from the function's memory
 * (new space = memory / 10, semi space = half of it, old space = the rest), and the source maps
 * the construct enables with NODE_OPTIONS.
 */
export function lambdaNodeArgs(memoryMb: number): string[] {
  return [
    `--max-semi-space-size=${Math.floor(memoryMb / 10 / 2)}`,
    `--max-old-space-size=${memoryMb - Math.floor(memoryMb / 10)}`,
    '--enable-source-maps',
  ];
}

export const LAMBDA_NODE_ARGS = lambdaNodeArgs(FUNCTION_MEMORY_MB);

/** The memory target asks whether a 1,000-exporter run fits a 128 MB function: measured with its heap limits. */
export const MEMORY_TARGET_MB = 128;

export interface BenchConfig {
  readonly exporters: number;
  readonly registries: number;
  /** The monitor's `requestsPerSecond` per registry; each simulator enforces the same budget. */
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  /** Measured runs per scenario (the median is reported). */
  readonly samples: number;
  /** Shown beside the configuration, e.g. "handler defaults". */
  readonly note?: string;
}

export type Scenario = 'first' | 'catch-up' | 'steady' | 'storm' | 'recovery';

/** Runs after the first one at most, until one writes no exporter record. */
export const MAX_CATCH_UP_RUNS = 5;

/** Record writes beyond each registry's "last run" item: a run that still changed what it knows. */
export function recordWrites(dynamoOperations: Readonly<Record<string, number>>, registries: number): number {
  return (dynamoOperations.PutItem ?? 0) - registries;
}

/** What one invocation did, from every side: the worker, the simulators, dynalite. */
export interface RunSample extends Omit<InvocationResult, 'type'> {
  readonly scenario: Scenario;
  /** Registry requests per registry (from each simulator's stats), all kinds. */
  readonly registryRequests: readonly number[];
  /** Of those, the exporter list and the status reads: what every run needs. */
  readonly statusRequests: number;
  /** Of those, the reads of stall and drift detection (definitions, schema listings): spread over runs. */
  readonly replicationRequests: number;
  /** Requests that arrived over the simulator's budget (they were answered 429). */
  readonly overBudget: number;
  /** Requests dynalite received, by DynamoDB operation. */
  readonly dynamoOperations: Readonly<Record<string, number>>;
  /** Bytes the function logged (Powertools JSON logs and EMF metrics). */
  readonly logBytes: number;
  /** The CloudWatch metrics this run emitted (EMF in its logs): each is billed for the hours it receives data. */
  readonly customMetrics: readonly string[];
}

export interface ConfigResult {
  readonly config: BenchConfig;
  readonly runs: readonly RunSample[];
  /** Import of the handler in the worker (TypeScript through tsx). */
  readonly workerImportMs: number;
  /** Peak RSS of the worker after importing the handler, before any run (KiB). */
  readonly rssAfterImportKiB: number;
  /** Peak RSS of the worker over all its runs (KiB). */
  readonly peakRssKiB: number;
  /** CloudWatch metrics the function emitted (EMF in its logs) in any run, storms included. */
  readonly customMetrics: readonly string[];
  /** Anything that did not go as a correct monitor run should (errors, unexpected counts). */
  readonly anomalies: readonly string[];
}

export interface Registry {
  readonly id: string;
  readonly simulator: RegistrySimulator;
  readonly names: readonly string[];
  readonly secretId: string;
  readonly secretValue: string;
}

/** Registry requests sent, and how many of them went over the simulators' budget. */
export interface RequestsSent {
  readonly registryRequests: number;
  readonly overBudget: number;
}

/** What the registries received since their simulators' stats were last reset. */
export function requestsSentTo(registries: readonly Registry[]): RequestsSent {
  return {
    registryRequests: sum(registries.map(({ simulator }) => simulator.stats.requests)),
    overBudget: sum(registries.map(({ simulator }) => simulator.stats.overBudget)),
  };
}

/** One simulator per registry, each enforcing the monitor's own budget, with every exporter RUNNING. */
export async function startRegistries(config: BenchConfig): Promise<Registry[]> {
  const registries: Registry[] = [];
  try {
    for (const [index, count] of exporterSplit(config.exporters, config.registries).entries()) {
      const credentials = { apiKey: `BENCHKEY${index}`, apiSecret: `bench-secret-value-${index}` };
      const simulator = await RegistrySimulator.start({
        auth: { kind: 'basic', ...credentials },
        latencyMs: config.latencyMs,
        requestsPerSecond: config.requestsPerSecond,
        maxRecordedRequests: 100,
      });
      const names = simulator.addExporters(count, `r${index + 1}-link-`, { state: 'RUNNING', offset: 1000 });
      const id = `registry-${index + 1}`;
      registries.push({ id, simulator, names, secretId: `sr/${id}`, secretValue: JSON.stringify(credentials) });
    }
    return registries;
  } catch (error) {
    await closeRegistries(registries);
    throw error;
  }
}

export async function closeRegistries(registries: readonly Registry[]): Promise<void> {
  for (const registry of registries) await registry.simulator.close();
}

/** Every exporter of every registry changes: PAUSED with a stack trace, or RUNNING again. */
export function setAllExporters(registries: readonly Registry[], state: 'RUNNING' | 'PAUSED', offset: number): void {
  for (const registry of registries) {
    for (const name of registry.names) {
      registry.simulator.setExporter({ name, state, offset, trace: state === 'PAUSED' ? SAMPLE_TRACE : '' });
    }
  }
}

/** The function's environment as the construct sets it, pointed at the local stand-ins. */
export function lambdaEnv(registries: readonly Registry[], dynamoEndpoint: string, config: BenchConfig): Record<string, string> {
  const monitorConfig = {
    registries: registries.map((registry) => ({
      id: registry.id,
      baseUrl: registry.simulator.baseUrl,
      allowInsecureHttp: true,
      auth: { kind: 'basic', secretId: registry.secretId },
      requestsPerSecond: config.requestsPerSecond,
      concurrency: config.concurrency,
      // Every change is announced on its first sight, so each storm run announces every exporter.
      policy: { unhealthyChecks: 1, recoveryChecks: 1 },
    })),
  };
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    TMPDIR: tmpdir(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(FUNCTION_MEMORY_MB),
    // Lambda sets it; Powertools emits its ColdStart metric only when it says 'on-demand'.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    TABLE_NAME: LOCAL_TABLE_NAME,
    TOPIC_ARN,
    [CONFIG_ENV]: encodeConfigEnv(JSON.stringify(monitorConfig)),
    POWERTOOLS_SERVICE_NAME: 'schema-exporter-monitor',
    POWERTOOLS_METRICS_NAMESPACE: 'SchemaExporterMonitor',
    [SECRETS_ENV]: JSON.stringify(Object.fromEntries(registries.map((r) => [r.secretId, r.secretValue]))),
    [TIMEOUT_ENV]: String(FUNCTION_TIMEOUT_MS),
    ...(process.env[PROFILE_ENV] && { [PROFILE_ENV]: process.env[PROFILE_ENV] }),
    [MEMORY_ENV]: String(FUNCTION_MEMORY_MB),
  };
}

export async function runConfig(config: BenchConfig, progress: (line: string) => void): Promise<ConfigResult> {
  const dynamo = await startEmbeddedDynamo();
  let registries: Registry[] = [];
  let worker: WorkerProcess<WorkerMessage> | undefined;
  try {
    registries = await startRegistries(config);
    const started = await WorkerProcess.start<WorkerMessage>({
      script: WORKER,
      // tsx runs the TypeScript handler; the Lambda runtime's heap limits apply as in the sandbox.
      execArgv: ['--import', 'tsx', ...LAMBDA_NODE_ARGS],
      env: lambdaEnv(registries, dynamo.endpoint, config),
      cwd: PROJECT_ROOT,
      label: `worker-${config.exporters}x${config.registries}-${config.requestsPerSecond}rps`,
    });
    worker = started.worker;
    const ready = started.first;
    if (ready.type !== 'ready') throw new Error(`the Lambda worker did not start: ${JSON.stringify(ready)}\n${worker.logTail()}`);
    const invoke = async (label: string): Promise<InvocationResult> => {
      const reply = await worker!.request({ type: 'invoke', label });
      if (reply.type !== 'invoked') throw new Error(`unexpected reply of the Lambda worker: ${JSON.stringify(reply)}\n${worker!.logTail()}`);
      return reply;
    };

    const anomalies: string[] = [];
    const runs: RunSample[] = [];
    const measure = async (scenario: Scenario): Promise<void> => {
      const label = `${config.exporters}x${config.registries}-${scenario}-${runs.filter((run) => run.scenario === scenario).length + 1}`;
      for (const registry of registries) registry.simulator.resetStats();
      dynamo.resetOperations();
      const logBefore = worker!.logBytes;
      const { type: _type, ...invocation } = await invoke(label);
      const sample: RunSample = {
        ...invocation,
        scenario,
        registryRequests: registries.map((r) => r.simulator.stats.requests),
        statusRequests: sum(registries.map(({ simulator: { stats } }) => stats.byKind.list + stats.byKind.status)),
        replicationRequests: sum(registries.map(({ simulator: { stats } }) => stats.byKind.info + stats.byKind.schemas + stats.byKind.subjects)),
        overBudget: requestsSentTo(registries).overBudget,
        dynamoOperations: { ...dynamo.operations },
        logBytes: worker!.logBytes - logBefore,
        customMetrics: emittedMetrics(worker!.logPath, logBefore),
      };
      anomalies.push(...check(config, sample));
      runs.push(sample);
      progress(
        `  ${scenario.padEnd(8)} ${sample.durationMs.toFixed(0).padStart(6)} ms  registry ${sum(sample.registryRequests)}` +
          `  dynamo ${JSON.stringify(sample.dynamoOperations)}  sns entries ${sample.sns.entries}`,
      );
    };

    // Warm-up: the cold container's first run records every exporter (nothing to announce). With
    // more exporters than one run has time to read definitions of, the next runs still catch up
    // (a record write each): they are not yet the steady state the figures are about.
    await measure('first');
    const stillCatchingUp = () => recordWrites(runs.at(-1)!.dynamoOperations, registries.length) > 0;
    for (let i = 0; i < MAX_CATCH_UP_RUNS && stillCatchingUp(); i += 1) await measure('catch-up');
    for (let i = 0; i < config.samples; i += 1) await measure('steady');
    for (let i = 0; i < config.samples; i += 1) {
      if (i > 0) {
        setAllExporters(registries, 'RUNNING', 1000 + 2 * i);
        await measure('recovery');
      }
      setAllExporters(registries, 'PAUSED', 1001 + 2 * i);
      await measure('storm');
    }
    const customMetrics = emittedMetrics(worker.logPath, 0);
    return {
      config,
      runs,
      workerImportMs: ready.importMs,
      rssAfterImportKiB: ready.maxRssKiB,
      peakRssKiB: Math.max(ready.maxRssKiB, ...runs.map((run) => run.maxRssKiB)),
      customMetrics,
      anomalies: [...new Set(anomalies)],
    };
  } finally {
    await worker?.stop();
    await closeRegistries(registries);
    await dynamo.close();
  }
}

/**
 * The distinct CloudWatch metrics (namespace, dimensions, name) the function emitted through
 * Powertools' embedded metric format from byte `from` of its log on: each is a custom metric.
 */
function emittedMetrics(logPath: string, from: number): string[] {
  const metrics = new Set<string>();
  for (const line of readFileSync(logPath).subarray(from).toString('utf8').split('\n')) {
    if (!line.includes('"_aws"')) continue;
    try {
      const document = JSON.parse(line) as { _aws?: { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
      for (const directive of document._aws?.CloudWatchMetrics ?? []) {
        for (const dimensions of directive.Dimensions) {
          const values = dimensions.map((name) => `${name}=${String((document as Record<string, unknown>)[name])}`).join(',');
          for (const metric of directive.Metrics) metrics.add(`${directive.Namespace}/${metric.Name}{${values}}`);
        }
      }
    } catch {
      // not a metrics line
    }
  }
  return [...metrics].sort();
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A benchmark of a wrong run would be meaningless: say so beside the figures. */
function check(config: BenchConfig, run: RunSample): string[] {
  const problems: string[] = [];
  const label = `${config.exporters}x${config.registries}@${config.requestsPerSecond}rps ${run.scenario}`;
  if (run.error) problems.push(`${label}: the handler failed: ${run.error}`);
  const result = run.result as { events?: number; failures?: number } | undefined;
  if (result?.failures) problems.push(`${label}: ${result.failures} registry read failure(s)`);
  const expectedRequests = config.exporters + config.registries;
  if (run.statusRequests !== expectedRequests) {
    problems.push(`${label}: ${run.statusRequests} list and status requests, expected ${expectedRequests}`);
  }
  if (run.statusRequests + run.replicationRequests !== sum(run.registryRequests)) {
    problems.push(`${label}: ${sum(run.registryRequests) - run.statusRequests - run.replicationRequests} registry request(s) of an unexpected kind`);
  }
  const expectedEntries = run.scenario === 'storm' || run.scenario === 'recovery' ? config.exporters : 0;
  if (run.sns.entries !== expectedEntries) problems.push(`${label}: ${run.sns.entries} SNS entries, expected ${expectedEntries}`);
  if (run.overBudget > 0) problems.push(`${label}: ${run.overBudget} registry request(s) over the budget`);
  return problems;
}
