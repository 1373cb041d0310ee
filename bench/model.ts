/** What a run should cost at best, and what a naive monitor would spend: the yardsticks of the benchmark. */

/** How `total` exporters are spread over `registries` (the first ones get the remainder). */
export function exporterSplit(total: number, registries: number): number[] {
  return Array.from({ length: registries }, (_, index) => Math.floor(total / registries) + (index < total % registries ? 1 : 0));
}

export interface PacingLimits {
  /** The monitor's request budget per registry (`requestsPerSecond`). */
  readonly requestsPerSecond: number;
  /** Requests in flight per registry (`concurrency`). */
  readonly concurrency: number;
  /** Latency of one registry request. */
  readonly latencyMs: number;
}

/**
 * Lower bound of a run's time: per registry max(requests / budget, ceil(requests / concurrency) x latency);
 * registries are read in parallel, so a run takes at least the slowest registry's bound.
 */
export function idealRunMs(requestsPerRegistry: readonly number[], limits: PacingLimits): number {
  return Math.max(
    ...requestsPerRegistry.map((requests) =>
      Math.max((requests / limits.requestsPerSecond) * 1000, Math.ceil(requests / limits.concurrency) * limits.latencyMs),
    ),
  );
}

/** A naive monitor: per exporter per run one registry read, one DynamoDB read and one write; one SNS publish per change. */
export interface NaiveRun {
  readonly registryRequests: number;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  readonly snsPublishes: number;
}

export function naiveRun(exporters: number, changes: number): NaiveRun {
  return { registryRequests: exporters, dynamoReads: exporters, dynamoWrites: exporters, snsPublishes: changes };
}

const READ_OPERATIONS = new Set(['Query', 'GetItem', 'BatchGetItem', 'Scan']);

export function dynamoReads(operations: Readonly<Record<string, number>>): number {
  return Object.entries(operations).reduce((sum, [operation, count]) => sum + (READ_OPERATIONS.has(operation) ? count : 0), 0);
}

export function dynamoWrites(operations: Readonly<Record<string, number>>): number {
  return Object.entries(operations).reduce((sum, [operation, count]) => sum + (READ_OPERATIONS.has(operation) ? 0 : count), 0);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
