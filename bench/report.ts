/** Turns the measurements into the rows of the printed table (and of the JSON), and checks the targets. */
import { REGISTRY_DEFAULTS } from '../lambda/config.js';
import type { ColdImportResult, MemoryResult } from './bundle-runs.js';
import type { BuiltBundle } from './bundle.js';
import type { FanOutResult } from './fan-out.js';
import type { TransportFloor } from './transport-floor.js';
import { lambdaVcpuShare, type MonthlyCost, monthlyCost, type RunCost, runCost, type RunUsage } from './cost.js';
import { dynamoReads, dynamoWrites, idealRunMs, median, naiveRun } from './model.js';
import type { CapacityUsed, PhaseTiming } from './protocol.js';
import { type ConfigResult, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_MS, MEMORY_TARGET_MB, type RequestsSent, type RunSample, type Scenario } from './scenario.js';

export interface ScenarioRow {
  readonly label: string;
  readonly exporters: number;
  readonly registries: number;
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly note?: string;
  readonly scenario: 'steady' | 'storm';
  readonly samples: number;
  readonly runMs: { readonly median: number; readonly min: number; readonly max: number };
  readonly idealMs: number;
  readonly ratio: number;
  /** The cold container's first run, which records every exporter (the warm-up). */
  readonly firstRunMs: number;
  /** CPU time of the median sample (user + system, the whole worker process). */
  readonly cpuMs: number;
  /** The same CPU work at the vCPU share Lambda gives the function's memory: a floor for the run time on Lambda. */
  readonly lambdaCpuFloorMs: number;
  readonly registryRequests: number;
  /** List and status reads: exactly exporters + 1 per registry. */
  readonly statusRequests: number;
  readonly expectedStatusRequests: number;
  /** Definitions and schema listings for stall and drift detection. */
  readonly replicationRequests: number;
  readonly dynamoOperations: Readonly<Record<string, number>>;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  readonly capacity: CapacityUsed;
  readonly sns: RunSample['sns'];
  readonly naive: ReturnType<typeof naiveRun>;
  readonly overBudget: number;
  readonly logBytes: number;
  /** Median sample's time line: when each kind of request ran. */
  readonly timeline: Readonly<Record<string, PhaseTiming>>;
  readonly runCost: RunCost;
}

export interface ConfigSummary {
  readonly label: string;
  readonly rows: readonly ScenarioRow[];
  readonly monthly: MonthlyCost;
  readonly customMetrics: number;
  /** Peak RSS of the TypeScript worker (tsx loader included), KiB. */
  readonly workerPeakRssKiB: number;
  readonly anomalies: readonly string[];
}

export function configLabel(result: ConfigResult): string {
  const { exporters, registries, requestsPerSecond } = result.config;
  return `${exporters} x ${registries} @${requestsPerSecond}/s`;
}

function usage(run: RunSample): RunUsage {
  return {
    durationMs: run.durationMs,
    readRequestUnits: run.capacity.read,
    writeRequestUnits: run.capacity.write + run.capacity.indexWrite,
    snsBilledRequests: run.sns.billedRequests,
    logBytes: run.logBytes,
  };
}

/** The sample whose run time is the median one (the lower middle for an even count). */
function medianSample(runs: readonly RunSample[]): RunSample {
  const sorted = [...runs].sort((a, b) => a.durationMs - b.durationMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export function summarize(result: ConfigResult): ConfigSummary {
  const { config } = result;
  const label = configLabel(result);
  const first = result.runs.find((run) => run.scenario === 'first');
  const rows = (['steady', 'storm'] as const).map((scenario): ScenarioRow => {
    const runs = result.runs.filter((run) => run.scenario === scenario);
    const durations = runs.map((run) => run.durationMs);
    const sample = medianSample(runs);
    const runMedian = median(durations);
    // Every request the run needed, stall and drift reads included (a destination's listing spends the
    // destination's budget); the request-count targets say separately that none of them was wasted.
    const ideal = idealRunMs(sample.registryRequests, config);
    return {
      label,
      exporters: config.exporters,
      registries: config.registries,
      requestsPerSecond: config.requestsPerSecond,
      concurrency: config.concurrency,
      latencyMs: config.latencyMs,
      ...(config.note === undefined ? {} : { note: config.note }),
      scenario,
      samples: runs.length,
      runMs: { median: runMedian, min: Math.min(...durations), max: Math.max(...durations) },
      idealMs: ideal,
      ratio: runMedian / ideal,
      firstRunMs: first?.durationMs ?? Number.NaN,
      cpuMs: sample.cpuMs,
      lambdaCpuFloorMs: sample.cpuMs / LAMBDA_VCPU_SHARE,
      registryRequests: sample.registryRequests.reduce((a, b) => a + b, 0),
      statusRequests: sample.statusRequests,
      expectedStatusRequests: config.exporters + config.registries,
      replicationRequests: sample.replicationRequests,
      dynamoOperations: sample.dynamoOperations,
      dynamoReads: dynamoReads(sample.dynamoOperations),
      dynamoWrites: dynamoWrites(sample.dynamoOperations),
      capacity: sample.capacity,
      sns: sample.sns,
      naive: naiveRun(config.exporters, scenario === 'storm' ? config.exporters : 0),
      overBudget: runs.reduce((total, run) => total + run.overBudget, 0),
      logBytes: sample.logBytes,
      timeline: sample.timeline,
      runCost: runCost(usage(sample), FUNCTION_MEMORY_MB),
    };
  });
  const steady = medianSample(result.runs.filter((run) => run.scenario === 'steady'));
  return {
    label,
    rows,
    // What a month of healthy runs pays for: the metrics those runs publish (none, unless something is wrong).
    monthly: monthlyCost(usage(steady), FUNCTION_MEMORY_MB, steady.customMetrics.length),
    customMetrics: steady.customMetrics.length,
    workerPeakRssKiB: result.peakRssKiB,
    anomalies: [...result.anomalies, ...result.runs.filter((run) => run.durationMs > FUNCTION_TIMEOUT_MS).map((run) => `${label} ${run.scenario}: ${Math.round(run.durationMs)} ms, over the function's ${FUNCTION_TIMEOUT_MS} ms timeout`)],
  };
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

export interface TargetInputs {
  readonly summaries: readonly ConfigSummary[];
  readonly primaryRequestsPerSecond: number;
  readonly memory: MemoryResult | undefined;
  readonly fanOut: FanOutResult | undefined;
  /** CPU per status read of Node's bare HTTP client at the monitor's pacing (transport-floor.ts). */
  readonly transportFloor: TransportFloor;
  readonly coldImport: ColdImportResult;
  /** The monitor's registry requests in each part of the benchmark, and how many went over the budget. */
  readonly budget: readonly BudgetTally[];
}

export interface BudgetTally extends RequestsSent {
  readonly part: string;
}

/** Sums what `part` sent: runs, invocations, or a part's own total. */
export function budgetTally(part: string, sent: readonly RequestsSent[]): BudgetTally {
  return {
    part,
    registryRequests: sent.reduce((total, item) => total + item.registryRequests, 0),
    overBudget: sent.reduce((total, item) => total + item.overBudget, 0),
  };
}

const LAMBDA_VCPU_SHARE = lambdaVcpuShare(FUNCTION_MEMORY_MB);
/** CPU per exporter checked (user + system, the whole worker) the scale issue asks of a 1,000-exporter registry. */
const CPU_TARGETS: readonly (readonly [Scenario, number])[] = [
  ['steady', 0.4],
  ['storm', 1.5],
];
/** Dollars a month at 100 exporters, a run a minute, default settings. */
const MONTHLY_COST_TARGET = 1;
const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

export function checkTargets(inputs: TargetInputs): Target[] {
  const rows = inputs.summaries.flatMap((summary) => summary.rows);
  const steady100 = rows.find((row) => row.scenario === 'steady' && row.exporters === 100 && row.registries === 1 && row.requestsPerSecond === inputs.primaryRequestsPerSecond);
  const targets: Target[] = [];
  const steadyRows = rows.filter((row) => row.scenario === 'steady');
  const slowest = [...steadyRows].sort((a, b) => b.ratio - a.ratio)[0];
  if (slowest) {
    targets.push({
      target: 'steady run time <= 1.1 x the pacing ideal, every configuration',
      measured: `worst ${slowest.label}: ${slowest.runMs.median.toFixed(0)} ms = ${slowest.ratio.toFixed(2)} x ${slowest.idealMs.toFixed(0)} ms`,
      verdict: verdict(slowest.ratio <= 1.1),
    });
  }
  for (const [scenario, limitMs] of CPU_TARGETS) {
    const row = rows.find((r) => r.scenario === scenario && r.exporters === 1000 && r.registries === 1);
    targets.push({
      target: `CPU per exporter checked, 1,000 x 1, ${scenario}: <= ${limitMs} ms`,
      measured: row
        ? `${(row.cpuMs / row.exporters).toFixed(2)} ms (${row.cpuMs.toFixed(0)} ms a run; Node's bare HTTP client alone: ${inputs.transportFloor.medianCpuMsPerRequest.toFixed(2)} ms)`
        : 'not measured',
      verdict: row ? verdict(row.cpuMs / row.exporters <= limitMs) : 'SKIP',
    });
  }
  const defaults = inputs.summaries.find((summary) => summary.rows.some((row) => row.exporters === 100 && row.registries === 1 && row.requestsPerSecond === REGISTRY_DEFAULTS.requestsPerSecond));
  targets.push({
    target: `cost a month, 100 x 1, handler defaults: < $${MONTHLY_COST_TARGET} (the dashboard beside it)`,
    measured: defaults ? `$${defaults.monthly.total.toFixed(2)}, + $${defaults.monthly.dashboard.toFixed(2)} with the dashboard` : 'not measured',
    verdict: defaults ? verdict(defaults.monthly.total < MONTHLY_COST_TARGET) : 'SKIP',
  });
  if (steady100) {
    const readLimit = Math.ceil(steady100.exporters / 100);
    targets.push({
      target: `steady, 100 x 1: DynamoDB reads <= ceil(100/100) = ${readLimit}`,
      measured: `${steady100.dynamoReads} read(s)`,
      verdict: verdict(steady100.dynamoReads <= readLimit),
    });
    targets.push({
      target: 'steady, 100 x 1: no per-exporter DynamoDB writes',
      measured: `${steady100.dynamoWrites} write(s) (${JSON.stringify(steady100.dynamoOperations)})`,
      verdict: verdict(steady100.dynamoWrites <= steady100.registries),
    });
  } else {
    targets.push({ target: 'steady, 100 x 1 (run time, DynamoDB reads and writes)', measured: 'not measured', verdict: 'SKIP' });
  }
  const wrong = rows.filter((row) => row.statusRequests !== row.expectedStatusRequests);
  targets.push({
    target: 'list and status requests = exporters + 1 per registry (every run)',
    measured: wrong.length === 0 ? `all ${rows.length} rows exact` : wrong.map((row) => `${row.label} ${row.scenario}: ${row.statusRequests}`).join('; '),
    verdict: verdict(wrong.length === 0),
  });
  // Definitions are read once per exporter when first seen (spread over runs when the first run has no
  // time left), then once an hour each; the source is listed every 5 minutes, shared.
  const rereads = rows.filter((row) => row.replicationRequests > row.exporters + row.registries);
  targets.push({
    target: 'stall and drift reads after the first run <= 1 per exporter + 1 listing per registry',
    measured: rereads.length === 0
      ? `at most ${Math.max(0, ...rows.map((row) => row.replicationRequests))} in a run`
      : rereads.map((row) => `${row.label} ${row.scenario}: ${row.replicationRequests}`).join('; '),
    verdict: verdict(rereads.length === 0),
  });
  const memoryRuns = inputs.memory?.runs ?? [];
  if (inputs.memory && inputs.memory.exporters >= 1000) {
    for (const scenario of ['first', 'steady', 'storm'] as const) {
      const peaks = memoryRuns.filter((r) => r.scenario === scenario).map((r) => r.peakKiB);
      const peak = median(peaks);
      targets.push({
        target: `${inputs.memory.exporters} exporters, ${scenario} run: peak RSS < ${MEMORY_TARGET_MB} MB (bundle, ${MEMORY_TARGET_MB} MB heap flags, median)`,
        measured: `${mib(peak)} (median of ${peaks.length}: ${peaks.map(mib).join(', ')})`,
        verdict: verdict(peak * 1024 < MEMORY_TARGET_MB * 1024 * 1024),
      });
    }
  } else {
    targets.push({ target: '1,000 exporters: peak RSS < 128 MB', measured: 'not measured (--quick)', verdict: 'SKIP' });
  }
  targets.push(...fanOutTargets(inputs.fanOut));
  const budget = budgetTally('all', inputs.budget);
  targets.push({
    target: 'registry request budget never exceeded (every run and invocation of the benchmark)',
    measured: `${budget.overBudget} over budget of ${budget.registryRequests} requests (${inputs.budget.map((part) => `${part.part}: ${part.overBudget} of ${part.registryRequests}`).join('; ')})`,
    verdict: verdict(budget.overBudget === 0),
  });
  targets.push({
    target: 'cold import <= 1.5 x SDK-only baseline',
    measured: `${inputs.coldImport.handlerMedianMs.toFixed(0)} ms = ${inputs.coldImport.ratio.toFixed(2)} x ${inputs.coldImport.baselineMedianMs.toFixed(0)} ms`,
    verdict: verdict(inputs.coldImport.ratio <= 1.5),
  });
  return targets;
}

function fanOutTargets(fanOut: FanOutResult | undefined): Target[] {
  if (fanOut === undefined) return [{ target: 'fan-out: every exporter read in every run', measured: 'not measured', verdict: 'SKIP' }];
  const { config, invocations } = fanOut;
  const label = `fan-out ${config.exporters} x ${config.registries}`;
  const unread = invocations.filter((invocation) => invocation.statusReads < invocation.exporters);
  const failed = invocations.filter((invocation) => invocation.error !== undefined || invocation.durationMs > FUNCTION_TIMEOUT_MS);
  const slowest = Math.max(...invocations.map((invocation) => invocation.durationMs));
  return [
    {
      target: `${label}: every exporter read in each of ${config.runs} runs`,
      measured: unread.length === 0 ? `${config.exporters} of ${config.exporters} in every run` : unread.map((i) => `${i.registryId} run ${i.run}: ${i.statusReads} of ${i.exporters}`).join('; '),
      verdict: verdict(unread.length === 0),
    },
    {
      target: `${label}: every invocation ends without error within the ${FUNCTION_TIMEOUT_MS / 1000} s timeout`,
      measured: failed.length === 0 ? `slowest ${(slowest / 1000).toFixed(1)} s` : failed.map((i) => `${i.registryId} run ${i.run}: ${i.error ?? `${Math.round(i.durationMs)} ms`}`).join('; '),
      verdict: verdict(failed.length === 0),
    },
  ];
}

// -----------------------------------------------------------------------------------------------
// Text

/** `align` has one letter per column: l(eft) or r(ight). */
function table(headers: readonly string[], rows: readonly (readonly string[])[], align: string): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const cell = (text: string, column: number) => (align[column] === 'r' ? text.padStart(widths[column]!) : text.padEnd(widths[column]!));
  const line = (row: readonly string[]) => row.map((text, column) => cell(text, column)).join('  ').trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const dollars = (value: number) => (value === 0 ? '$0' : value >= 1 ? `$${value.toFixed(2)}` : value >= 0.01 ? `$${value.toFixed(3)}` : `$${value.toFixed(5)}`);
const OPERATION_SHORT: Record<string, string> = { Query: 'Q', PutItem: 'Put', UpdateItem: 'Upd', BatchWriteItem: 'BW', GetItem: 'Get' };
const operations = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([operation, count]) => `${OPERATION_SHORT[operation] ?? operation} ${count}`)
    .join(', ');

export interface ReportInputs extends TargetInputs {
  readonly handlerBundle: BuiltBundle;
  readonly baselineBundle: BuiltBundle;
  readonly targets: readonly Target[];
  readonly latencyMs: number;
  readonly concurrency: number;
}

export function renderReport(inputs: ReportInputs): string {
  const rows = inputs.summaries.flatMap((summary) => summary.rows);
  const sections: string[] = [];
  const section = (...parts: string[]) => sections.push(parts.join('\n'));
  section(
    `RUN TIME  (real handler; registry latency ${inputs.latencyMs} ms/request, concurrency ${inputs.concurrency}; median of n runs; ` +
      'ideal = max over registries of max(requests/budget, ceil(requests/concurrency) x latency), requests = what the registry received in the median run (listing, statuses, stall and drift reads); ' +
      `CPU ms / ${LAMBDA_VCPU_SHARE.toFixed(3)} = the same CPU work at the vCPU share of a ${FUNCTION_MEMORY_MB} MB function)`,
    table(
      ['exporters x registries @budget', 'scenario', 'n', 'run ms', 'min-max ms', 'ideal ms', 'x ideal', 'first run ms', 'CPU ms', 'CPU ms at 256 MB'],
      rows.map((row) => [
        row.label + (row.note ? ` (${row.note})` : ''),
        row.scenario,
        String(row.samples),
        ms(row.runMs.median),
        `${ms(row.runMs.min)}-${ms(row.runMs.max)}`,
        ms(row.idealMs),
        row.ratio.toFixed(2),
        row.scenario === 'steady' ? ms(row.firstRunMs) : '',
        ms(row.cpuMs),
        ms(row.lambdaCpuFloorMs),
      ]),
      'llrrrrrrrr',
    ),
  );
  section(
    'REQUESTS PER RUN  (ours, naive in brackets: per exporter 1 registry read + 1 DynamoDB read + 1 write, 1 SNS publish per change)',
    table(
      ['exporters x registries @budget', 'scenario', 'registry', 'of which stall/drift', 'DynamoDB by operation', 'DDB reads', 'DDB writes', 'RRU', 'WRU (+index)', 'SNS calls/entries'],
      rows.map((row) => [
        row.label,
        row.scenario,
        `${row.registryRequests} (${row.naive.registryRequests})`,
        String(row.replicationRequests),
        operations(row.dynamoOperations),
        `${row.dynamoReads} (${row.naive.dynamoReads})`,
        `${row.dynamoWrites} (${row.naive.dynamoWrites})`,
        String(row.capacity.read),
        `${row.capacity.write}${row.capacity.indexWrite > 0 ? ` +${row.capacity.indexWrite}` : ''}`,
        `${row.sns.publishBatchCalls}/${row.sns.entries} (${row.naive.snsPublishes})`,
      ]),
      'llrrlrrrrr',
    ),
  );
  const large = rows.filter((row) => row.exporters >= 100);
  if (large.length > 0) {
    section(
      'WHERE THE TIME GOES  (median run; ms from the start of the invocation: first start - last end of each kind of request)',
      table(
        ['exporters x registries @budget', 'scenario', 'run ms', 'registry', 'DDB Query', 'DDB PutItem', 'DDB BatchWrite', 'SNS', 'DDB UpdateItem'],
        large.map((row) => {
          const span = (kind: string) => {
            const phase = row.timeline[kind];
            return phase ? `${ms(phase.firstStartMs)}-${ms(phase.lastEndMs)}` : '-';
          };
          return [row.label, row.scenario, ms(row.runMs.median), span('registry'), span('dynamo:Query'), span('dynamo:PutItem'), span('dynamo:BatchWriteItem'), span('sns:PublishBatch'), span('dynamo:UpdateItem')];
        }),
        'llrrrrrrr',
      ),
    );
  }
  const { handlerBundle, baselineBundle, coldImport } = inputs;
  const rss = (values: readonly number[]) => mib(median(values));
  section(
    `START-UP  (esbuild bundle as the CDK construct builds it; median of ${coldImport.samples} fresh node processes each, --enable-source-maps and Lambda's heap flags)`,
    table(
      ['bundle', 'bytes', 'source map bytes', 'import ms', 'process start to ready ms', 'RSS after import'],
      [
        ['handler (lambda/handler.ts)', String(handlerBundle.bytes), String(handlerBundle.sourceMapBytes), ms(coldImport.handlerMedianMs), ms(median(coldImport.handler.sinceProcessStartMs)), rss(coldImport.handler.maxRssKiB)],
        ['SDK-only baseline (3 clients)', String(baselineBundle.bytes), String(baselineBundle.sourceMapBytes), ms(coldImport.baselineMedianMs), ms(median(coldImport.baseline.sinceProcessStartMs)), rss(coldImport.baseline.maxRssKiB)],
        ['ratio', (handlerBundle.bytes / baselineBundle.bytes).toFixed(2), '', coldImport.ratio.toFixed(2), (median(coldImport.handler.sinceProcessStartMs) / median(coldImport.baseline.sinceProcessStartMs)).toFixed(2), ''],
      ],
      'lrrrrr',
    ),
  );
  if (inputs.memory) {
    const memory = inputs.memory;
    section(
      `MEMORY  (bundle, ${memory.exporters} exporters x ${memory.registries} registr${memory.registries === 1 ? 'y' : 'ies'}; one fresh process per run: cold start + that run; ` +
        `Lambda's heap flags for a ${MEMORY_TARGET_MB} MB function: does the run fit one?)`,
      table(
        ['run', 'peak RSS', 'RSS after import', 'peak heap used', 'peak heap total', 'peak external', 'run ms', 'CPU ms', 'SNS entries'],
        memory.runs.map((run) => [
          run.scenario,
          mib(run.peakKiB),
          mib(run.afterImportKiB),
          mib(run.memoryPeaks.heapUsed / 1024),
          mib(run.memoryPeaks.heapTotal / 1024),
          mib(run.memoryPeaks.external / 1024),
          ms(run.durationMs),
          ms(run.cpuMs),
          String(run.snsEntries),
        ]),
        'lrrrrrrrr',
      ),
    );
  }
  if (inputs.fanOut) {
    const { config, invocations, roundMs } = inputs.fanOut;
    const perExporter = (invocation: (typeof invocations)[number]) => invocation.cpuMs / invocation.exporters;
    section(
      `FAN-OUT  (${config.exporters} exporters x ${config.registries} registries, ${config.exporters / config.registries} each @${config.requestsPerSecond}/s; ` +
        `one invocation per registry per run, its schedule's input naming it; ${config.workers} workers side by side)`,
      table(
        ['run', 'invocations', 'wall s', 'run ms median', 'run ms max', 'CPU ms median', 'CPU ms max', 'CPU ms / exporter', 'worker peak RSS', 'exporters read'],
        roundMs.map((wall, index) => {
          const run = invocations.filter((invocation) => invocation.run === index + 1);
          return [
            String(index + 1),
            String(run.length),
            (wall / 1000).toFixed(1),
            ms(median(run.map((i) => i.durationMs))),
            ms(Math.max(...run.map((i) => i.durationMs))),
            ms(median(run.map((i) => i.cpuMs))),
            ms(Math.max(...run.map((i) => i.cpuMs))),
            median(run.map(perExporter)).toFixed(2),
            mib(Math.max(...run.map((i) => i.maxRssKiB))),
            `${run.reduce((total, i) => total + Math.min(i.statusReads, i.exporters), 0)} of ${config.exporters}`,
          ];
        }),
        'lrrrrrrrrr',
      ),
    );
  }
  const floor = inputs.transportFloor;
  section(
    `TRANSPORT FLOOR  (Node's own HTTP client alone in a process: ${floor.requests} status reads of one simulator, the monitor's pacing and concurrency, keep-alive, JSON.parse; nothing else)`,
    `CPU per read: ${floor.medianCpuMsPerRequest.toFixed(3)} ms (median of ${floor.cpuMsPerRequest.length}: ${floor.cpuMsPerRequest.map((v) => v.toFixed(3)).join(', ')}). ` +
      `Answers other than 200 (429 over the simulator's budget): ${floor.refused}. ` +
      'No monitor on Node reads a status for less on this machine; the CPU per exporter above, less this, is the monitor\'s own work.',
  );
  section(
    'RATE',
    inputs.budget.map((part) => `${part.part}: ${part.registryRequests} registry requests, ${part.overBudget} over the simulators' budget (= the monitor's)`).join('\n'),
  );
  section(
    `COST PER MONTH  (a run every minute = 43,800 runs; steady state, no alerts; Lambda Arm ${FUNCTION_MEMORY_MB} MB; us-east-1 list prices in bench/cost.ts)`,
    table(
      ['exporters x registries @budget', 'Lambda', 'DynamoDB', 'SNS', 'CloudWatch', 'total', '+ dashboard', 'canary', 'canary / ours', 'one storm run'],
      inputs.summaries.map((summary) => {
        const storm = summary.rows.find((row) => row.scenario === 'storm');
        return [
          summary.label,
          dollars(summary.monthly.lambda),
          dollars(summary.monthly.dynamo),
          dollars(summary.monthly.sns),
          dollars(summary.monthly.cloudWatch),
          dollars(summary.monthly.total),
          dollars(summary.monthly.dashboard),
          dollars(summary.monthly.canary),
          summary.monthly.canaryOverOurs.toFixed(1),
          storm ? dollars(storm.runCost.total) : '-',
        ];
      }),
      'lrrrrrrrrr',
    ),
    'CloudWatch = the custom metrics the steady runs publish ($0.30 each a month; counts are published only when not zero, so healthy runs publish none) + log ingestion; ' +
      '+ dashboard = $3 a month on top, beyond the account\'s 3 free ones (`dashboard: false` saves it); canary = $0.0012 a run + its Lambda ' +
      '(x86, 960 MB, as long as our run: a lower bound; its logs, S3 artifacts and metrics not counted).',
  );
  section(
    'TARGETS',
    table(['target', 'measured', 'verdict'], inputs.targets.map((target) => [target.target, target.measured, target.verdict]), 'lll'),
  );
  const anomalies = [...inputs.summaries.flatMap((summary) => summary.anomalies), ...(inputs.memory?.anomalies ?? [])];
  if (anomalies.length > 0) section('ANOMALIES (the figures above may not describe correct runs)', anomalies.map((a) => `- ${a}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
