/**
 * Messages between the benchmark (parent: registry simulators, dynalite, bookkeeping) and the
 * Lambda worker (child: the real handler, alone in its process like in a Lambda sandbox).
 */

/** Environment variable naming the secrets the worker's Secrets Manager mock answers (JSON: id -> value). */
export const SECRETS_ENV = 'BENCH_SECRETS';
/** Function timeout the worker's Lambda context counts down from (the CDK default for a 1-minute schedule: 50 s). */
export const TIMEOUT_ENV = 'BENCH_FUNCTION_TIMEOUT_MS';
/** Memory size the worker's Lambda context reports (the CDK default: 256 MiB). */
export const MEMORY_ENV = 'BENCH_FUNCTION_MEMORY_MB';

/** Folder where the worker writes a CPU profile of each invocation (`npm run bench -- --profile DIR`). */
export const PROFILE_ENV = 'BENCH_CPU_PROFILE_DIR';

/**
 * `label` names the invocation's CPU profile when profiling (first, steady-1, storm-1, ...); `event`
 * is the handler's event (a schedule's input: the registry to read), `{}` when absent.
 */
export type ParentMessage = { readonly type: 'invoke'; readonly label?: string; readonly event?: unknown } | { readonly type: 'exit' };

/** Capacity units DynamoDB reports (ReturnConsumedCapacity), dynalite following DynamoDB's size rules. */
export interface CapacityUsed {
  /** Read request units (strongly consistent: 1 per 4 KB). */
  read: number;
  /** Write request units on the table (1 per 1 KB, the larger of the old and new item). */
  write: number;
  /** Write request units on the history-by-day index (dynalite does not report them; counted like the table's). */
  indexWrite: number;
}

/** When requests of one kind ran during an invocation, ms from its start: where the time went. */
export interface PhaseTiming {
  readonly count: number;
  readonly firstStartMs: number;
  readonly lastEndMs: number;
}

/** Peaks of process.memoryUsage() sampled every few ms during an invocation, bytes. */
export interface MemoryPeaks {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface InvocationResult {
  readonly type: 'invoked';
  /** Wall time of `await handler(event, context)`: the billed duration of a warm invocation. */
  readonly durationMs: number;
  /** CPU time (user + system) the worker process spent during the invocation. */
  readonly cpuMs: number;
  /** The handler's error, if it threw. */
  readonly error?: string;
  readonly result?: unknown;
  /** DynamoDB requests seen by the function's client, by operation (a cross-check of dynalite's counts). */
  readonly dynamoRequests: Record<string, number>;
  readonly capacity: CapacityUsed;
  readonly sns: {
    readonly publishBatchCalls: number;
    readonly entries: number;
    /** Bodies, subjects and attributes of all entries, bytes. */
    readonly payloadBytes: number;
    /** SNS bills each started 64 KiB of a request's payload as one request. */
    readonly billedRequests: number;
  };
  readonly secretsManagerCalls: number;
  /** Peak resident set size of the worker process so far, KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKiB: number;
  readonly heapUsedBytes: number;
  /** Registry, DynamoDB (by operation) and SNS requests on the invocation's time line. */
  readonly timeline: Readonly<Record<string, PhaseTiming>>;
}

export interface ReadyMessage {
  readonly type: 'ready';
  /** Time to import the handler module (TypeScript through tsx here; see the start-up figures for the bundle). */
  readonly importMs: number;
  readonly maxRssKiB: number;
}

/** Environment variable carrying the transport floor's parameters to its worker (JSON: FloorParameters). */
export const FLOOR_ENV = 'BENCH_TRANSPORT_FLOOR';

/** What the transport floor's worker reads: every named exporter's status, once per request for a read. */
export interface FloorParameters {
  readonly baseUrl: string;
  readonly authorization: string;
  readonly names: readonly string[];
  readonly requestsPerSecond: number;
  readonly concurrency: number;
}

export interface FloorReply {
  readonly type: 'read';
  readonly requests: number;
  /** Answers other than 200 (429s over the simulator's budget). */
  readonly refused: number;
  /** CPU time (user + system) the floor's process spent reading them all. */
  readonly cpuMs: number;
}

/** What the transport floor's worker sends: ready once started, then one reply per read. */
export type FloorMessage = FloorReply | { readonly type: 'ready' } | { readonly type: 'failed'; readonly error: string };

export type WorkerMessage = ReadyMessage | InvocationResult | { readonly type: 'failed'; readonly error: string };
