/**
 * What the measured counts cost on AWS. List prices of us-east-1, without free tiers, as
 * published on the AWS pricing pages in 2025 (the DynamoDB on-demand prices are those after the
 * November 2024 reduction). They were not re-checked when the benchmark ran: check the pages
 * below before quoting a figure.
 */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 list prices, without free tiers',
  sources: [
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/sns/pricing/',
    'https://aws.amazon.com/cloudwatch/pricing/',
  ],
  /** Lambda, Arm (Graviton), per GB-second (first pricing tier). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** Lambda, x86, per GB-second: what a Synthetics canary's function runs on. */
  lambdaX86PerGbSecond: 0.0000166667,
  lambdaPerRequest: 0.2 / 1e6,
  /** DynamoDB on-demand, Standard table class: write request unit (1 KB of item, rounded up per item). */
  dynamoPerWriteRequestUnit: 0.625 / 1e6,
  /** Read request unit: a strongly consistent read of up to 4 KB (a Query sums its items, then rounds up). */
  dynamoPerReadRequestUnit: 0.125 / 1e6,
  /** SNS standard topic, per request; each started 64 KB of a request's payload counts as one request. */
  snsPerRequest: 0.5 / 1e6,
  /** CloudWatch custom metric (the function's Powertools metrics), per metric per month, first 10,000. */
  cloudWatchPerMetricMonth: 0.3,
  /** CloudWatch dashboard, per dashboard per month, beyond the account's 3 free ones (the construct creates one by default). */
  cloudWatchDashboardMonth: 3,
  /** CloudWatch Logs, standard ingestion, per GB. */
  cloudWatchLogsPerGb: 0.5,
  /** CloudWatch Synthetics, per canary run (its Lambda function is billed on top). */
  syntheticsPerCanaryRun: 0.0012,
} as const;

/** Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB. */
export function lambdaVcpuShare(memoryMb: number): number {
  return Math.min(1, memoryMb / 1769);
}

/** A run every minute: 60 x 24 x 365 / 12. */
export const RUNS_PER_MONTH = 43_800;
/** Synthetics canaries get at least 960 MB (RunConfig.MemoryInMB minimum). */
export const CANARY_MEMORY_MB = 960;

/** What one run consumed, as measured. */
export interface RunUsage {
  readonly durationMs: number;
  readonly readRequestUnits: number;
  /** Table and index write request units. */
  readonly writeRequestUnits: number;
  /** SNS requests as billed (64 KB chunks). */
  readonly snsBilledRequests: number;
  readonly logBytes: number;
}

export interface RunCost {
  readonly lambda: number;
  readonly dynamo: number;
  readonly sns: number;
  /** Log ingestion only; custom metrics are a monthly fee, see MonthlyCost. */
  readonly logs: number;
  readonly total: number;
}

export function runCost(usage: RunUsage, memoryMb: number): RunCost {
  // Lambda bills the duration rounded up to the millisecond.
  const gbSeconds = (Math.ceil(usage.durationMs) / 1000) * (memoryMb / 1024);
  const lambda = gbSeconds * PRICES.lambdaArmPerGbSecond + PRICES.lambdaPerRequest;
  const dynamo = usage.readRequestUnits * PRICES.dynamoPerReadRequestUnit + usage.writeRequestUnits * PRICES.dynamoPerWriteRequestUnit;
  const sns = usage.snsBilledRequests * PRICES.snsPerRequest;
  const logs = (usage.logBytes / 1024 ** 3) * PRICES.cloudWatchLogsPerGb;
  return { lambda, dynamo, sns, logs, total: lambda + dynamo + sns + logs };
}

export interface MonthlyCost {
  readonly lambda: number;
  readonly dynamo: number;
  readonly sns: number;
  /** Custom metrics the steady runs publish plus log ingestion. */
  readonly cloudWatch: number;
  /** The monitor without its dashboard. */
  readonly total: number;
  /** The construct's dashboard (its `dashboard` prop, on by default): beside the total, not in it. */
  readonly dashboard: number;
  /** The same schedule as a Synthetics canary: its runs plus its function (x86, 960 MB, as long as our run: a lower bound). */
  readonly canary: number;
  readonly canaryOverOurs: number;
}

/** A month of steady-state runs (no alert: a storm is priced per occurrence, see runCost). */
export function monthlyCost(steady: RunUsage, memoryMb: number, customMetrics: number): MonthlyCost {
  const run = runCost(steady, memoryMb);
  const lambda = run.lambda * RUNS_PER_MONTH;
  const dynamo = run.dynamo * RUNS_PER_MONTH;
  const sns = run.sns * RUNS_PER_MONTH;
  const cloudWatch = run.logs * RUNS_PER_MONTH + customMetrics * PRICES.cloudWatchPerMetricMonth;
  const dashboard = PRICES.cloudWatchDashboardMonth;
  const total = lambda + dynamo + sns + cloudWatch;
  const canaryGbSeconds = (Math.ceil(steady.durationMs) / 1000) * (CANARY_MEMORY_MB / 1024);
  const canaryRun = PRICES.syntheticsPerCanaryRun + canaryGbSeconds * PRICES.lambdaX86PerGbSecond + PRICES.lambdaPerRequest;
  const canary = canaryRun * RUNS_PER_MONTH;
  return { lambda, dynamo, sns, cloudWatch, dashboard, total, canary, canaryOverOurs: canary / total };
}
