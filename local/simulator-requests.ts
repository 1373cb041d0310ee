/** What the simulated registry remembers of the requests it got: counts by kind, and the most recent requests whole. */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestKind } from './simulator-http.js';

export interface RecordedRequest {
  readonly method: string;
  /** Raw path as sent, without query. */
  readonly path: string;
  readonly kind: RequestKind;
  /** The exporter name, decoded exactly once from the path. */
  readonly exporterName?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Arrival time, `performance.now()` milliseconds. */
  readonly at: number;
}

export interface SimulatorStats {
  /** Registry requests (token requests excluded). */
  readonly requests: number;
  readonly tokenRequests: number;
  /** Registry requests that arrived while the sliding window was already at the budget. */
  readonly overBudget: number;
  readonly byKind: Readonly<Record<RequestKind, number>>;
}

function emptyStats() {
  return {
    requests: 0,
    tokenRequests: 0,
    overBudget: 0,
    byKind: { list: 0, status: 0, info: 0, pause: 0, resume: 0, delete: 0, schemas: 0, subjects: 0, token: 0, other: 0 } satisfies Record<RequestKind, number>,
  };
}

export class RequestLog {
  private recorded: RecordedRequest[] = [];
  private counts = emptyStats();

  /** @param maxRecorded how many recent requests `recent` keeps */
  constructor(private readonly maxRecorded: number) {}

  get stats(): SimulatorStats {
    return { ...this.counts, byKind: { ...this.counts.byKind } };
  }

  /** The most recent requests, oldest first. */
  get recent(): readonly RecordedRequest[] {
    return this.recorded.slice(-this.maxRecorded);
  }

  record(request: RecordedRequest): void {
    if (request.kind === 'token') this.counts.tokenRequests += 1;
    else this.counts.requests += 1;
    this.counts.byKind[request.kind] += 1;
    this.recorded.push(request);
    // Trimmed in batches so recording stays O(1) per request.
    if (this.recorded.length >= 2 * this.maxRecorded) this.recorded = this.recorded.slice(-this.maxRecorded);
  }

  countOverBudget(): void {
    this.counts.overBudget += 1;
  }

  reset(): void {
    this.counts = emptyStats();
    this.recorded = [];
  }
}
