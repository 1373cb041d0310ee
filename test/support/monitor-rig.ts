/**
 * One monitor run as the Lambda performs it (`runMonitor` + the real registry client + the real
 * DynamoDB store on dynalite + the real SNS notifier over a scripted SNS), with the clock, the
 * deadline and the retry waits in the test's hands. Used by the reliability tests, which need to
 * inject faults between the steps of a run; the handler itself is exercised by handler-harness.ts.
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parseRegistryConfig, type RegistryConfig } from '../../lambda/config.js';
import type { MonitorEvent } from '../../lambda/core/model.js';
import type { Deadline } from '../../lambda/deadline.js';
import { type RunReport, runMonitor } from '../../lambda/monitor.js';
import type { RunLog, StoredSubject, WatchedRegistry } from '../../lambda/ports.js';
import type { Notifier } from '../../lambda/notify/notifier.js';
import { SnsNotifier } from '../../lambda/notify/sns-notifier.js';
import { readRegistry } from '../../lambda/registry/read-registry.js';
import { resumeExporter } from '../../lambda/registry/resume-exporter.js';
import { readDefinitions, readLatestSchemas } from '../../lambda/registry/read-replication.js';
import { RegistryClient, type RegistryCredentials } from '../../lambda/registry/registry-client.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import { RegistrySimulator, type SimulatorOptions } from '../../local/simulator.js';
import { FakeSns } from './fake-sns.js';

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:exporter-alerts';
/** The schedule's period: each run happens this long after the previous one unless told otherwise. */
export const RUN_INTERVAL_MS = 5 * 60_000;
/** Where every rig's clock starts. */
const RIG_START = Date.UTC(2026, 10, 26, 12);
export const plentyOfTime: Deadline = { timeLeftMs: () => 50_000 };

let registries = 0;

/** A registry id no other test in the same table uses. */
export function uniqueRegistryId(prefix = 'r'): string {
  registries += 1;
  return `${prefix}-${process.pid}-${registries}`.slice(0, 32);
}

export interface RigOptions {
  /** The table (one dynalite per test file is enough; every rig uses its own registry id). */
  readonly client: DynamoDBClient;
  /** Fields merged into the registry's configuration (policy, exporters, include, ...). */
  readonly registry?: Record<string, unknown>;
  readonly simulator?: SimulatorOptions;
  /** Credentials the registry client sends; none by default. */
  readonly credentials?: RegistryCredentials;
  readonly fetch?: typeof fetch;
  /** Registries exporters copy to, read for drift verification with their own credentials. */
  readonly destinations?: readonly WatchedRegistry[];
}

export interface RunOptions {
  readonly store?: StateStore;
  readonly notifier?: Notifier;
  /** When reading stops. Default: plenty of time. */
  readonly deadline?: Deadline;
  /** When the invocation ends (no publish starts without time to finish). Default: plenty of time. */
  readonly invocationDeadline?: Deadline;
  /** How far the clock moves before this run. Default RUN_INTERVAL_MS. */
  readonly advanceMs?: number;
  readonly log?: RunLog;
}

export class MonitorRig {
  readonly sns = new FakeSns();
  /** Every back-off the registry client asked for (none is actually waited). */
  readonly sleeps: number[] = [];
  readonly store: StateStore;
  readonly notifier: SnsNotifier;
  readonly config: RegistryConfig;
  /** The monitor's clock (epoch ms); runs advance it. */
  clock = RIG_START;
  private client?: RegistryClient;

  private constructor(
    readonly simulator: RegistrySimulator,
    private readonly options: RigOptions,
  ) {
    this.config = parseRegistryConfig(
      {
        id: uniqueRegistryId(),
        baseUrl: simulator.baseUrl,
        allowInsecureHttp: true,
        requestTimeoutMs: 1000,
        concurrency: 4,
        ...options.registry,
      },
      'registries[0]',
    );
    this.store = new StateStore({ client: options.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    this.notifier = new SnsNotifier({
      client: this.sns.client,
      topicArn: TOPIC_ARN,
      registryBaseUrls: new Map([[this.config.id, this.config.baseUrl]]),
    });
  }

  /** The simulator keeps the rig's clock, so what it records and copies follows the runs' time. */
  static async start(options: RigOptions): Promise<MonitorRig> {
    let rig: MonitorRig | undefined;
    const simulator = await RegistrySimulator.start({ now: () => rig?.clock ?? RIG_START, ...options.simulator });
    rig = new MonitorRig(simulator, options);
    return rig;
  }

  get registryId(): string {
    return this.config.id;
  }

  /**
   * The registry as the Lambda watches it (one client kept across runs, as a warm container
   * keeps it), but paced at 1000 requests/s and with back-offs recorded instead of waited.
   */
  watched(): WatchedRegistry {
    return {
      config: this.config,
      read: (known, deadline, resumeAt) => readRegistry(this.config, this.registryClient(), known, deadline, { resumeAt }),
      readDefinitions: (names, deadline) => readDefinitions(this.registryClient(), names, deadline),
      listLatestSchemas: (deadline) => readLatestSchemas(this.registryClient(), deadline),
      resume: (name, deadline) => resumeExporter(this.registryClient(), name, deadline),
    };
  }

  private registryClient(): RegistryClient {
    this.client ??= new RegistryClient({
      baseUrl: this.config.baseUrl,
      credentials: this.options.credentials ?? { kind: 'none' },
      requestsPerSecond: 1000,
      concurrency: this.config.concurrency,
      requestTimeoutMs: this.config.requestTimeoutMs,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      random: () => 0.5,
      now: () => this.clock,
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
    return this.client;
  }

  /** One scheduled run: the clock moves on, then the run reads, decides, stores and delivers. */
  async run(options: RunOptions = {}): Promise<RunReport> {
    this.clock += options.advanceMs ?? RUN_INTERVAL_MS;
    const at = this.clock;
    return runMonitor({
      registries: [this.watched()],
      ...(this.options.destinations && { destinations: this.options.destinations }),
      store: options.store ?? this.store,
      notifier: options.notifier ?? this.notifier,
      deadline: options.deadline ?? plentyOfTime,
      invocationDeadline: options.invocationDeadline ?? plentyOfTime,
      now: () => at,
      ...(options.log && { log: options.log }),
    });
  }

  /** The stored records of this registry's exporters, by name. */
  async records(): Promise<ReadonlyMap<string, StoredSubject>> {
    return (await this.store.loadRegistry(this.registryId)).exporters;
  }

  /** The registry's own record (monitor health). */
  async monitorRecord(): Promise<StoredSubject | undefined> {
    return (await this.store.loadRegistry(this.registryId)).monitor;
  }

  /** Every event recorded in history for this registry. */
  async history(): Promise<MonitorEvent[]> {
    const items = await scanTable(this.options.client);
    return items
      .map(({ item }) => item)
      .filter((item) => item.kind === 'event' && item.registryId === this.registryId)
      .map((item) => item as unknown as MonitorEvent);
  }

  /** Every undelivered event left in an outbox of this registry. */
  async pendingOutbox(): Promise<MonitorEvent[]> {
    const snapshot = await this.store.loadRegistry(this.registryId);
    return [...snapshot.exporters.values(), ...(snapshot.monitor ? [snapshot.monitor] : [])].flatMap((s) => [...s.outbox.values()]);
  }

  close(): Promise<void> {
    return this.simulator.close();
  }
}

export interface ScannedItem {
  readonly raw: Record<string, AttributeValue>;
  readonly item: Record<string, unknown>;
  /** Size as DynamoDB counts it against the 400 KB item limit. */
  readonly bytes: number;
}

/** The whole table (tests only). */
export async function scanTable(client: DynamoDBClient): Promise<ScannedItem[]> {
  const items: ScannedItem[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ExclusiveStartKey: startKey }));
    for (const raw of page.Items ?? []) items.push({ raw, item: unmarshall(raw), bytes: dynamoItemBytes(raw) });
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** DynamoDB's item size: attribute names plus values, per the rules in the developer guide. */
export function dynamoItemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((sum, [name, inner]) => sum + 1 + Buffer.byteLength(name) + valueBytes(inner), 0);
  }
  if (value.L !== undefined) return 3 + value.L.reduce((sum, inner) => sum + 1 + valueBytes(inner), 0);
  if (value.SS !== undefined) return value.SS.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, text) => sum + text.length, 0);
  return 0;
}

/** A promise and its resolver, to hold one run at a chosen step. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
