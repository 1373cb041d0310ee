/**
 * The monitor's adapters on a laptop: an embedded DynamoDB (dynalite) instead of the AWS table,
 * the console instead of SNS, credentials from flags or the environment instead of Secrets Manager.
 * The monitor run itself is the one the Lambda executes.
 */
import type { MonitorConfig } from '../lambda/config.js';
import { runMonitor, type RunReport } from '../lambda/monitor.js';
import { deadlineIn, readingDeadline } from '../lambda/deadline.js';
import type { Notifier } from '../lambda/notify/notifier.js';
import type { RegistryCredentials } from '../lambda/registry/registry-client.js';
import { StateStore } from '../lambda/store/state-store.js';
import { watchRegistry } from '../lambda/watched-registry.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from './dynamo-table.js';

export interface LocalMonitorOptions {
  readonly config: MonitorConfig;
  /** Credentials per registry id. */
  readonly credentials: ReadonlyMap<string, RegistryCredentials>;
  readonly notifier: Notifier;
  /** Folder of a persistent store (restarts do not re-alert); in memory when absent. */
  readonly statePath?: string;
  /** Time budget of one run, like the function's timeout. */
  readonly runTimeoutMs?: number;
}

export interface LocalMonitor {
  readonly dynamo: EmbeddedDynamo;
  readonly store: StateStore;
  /** One monitor run; `now` lets the demo story move faster than the wall clock. */
  run(now?: () => number): Promise<RunReport>;
  close(): Promise<void>;
}

export async function startLocalMonitor(options: LocalMonitorOptions): Promise<LocalMonitor> {
  const dynamo = await startEmbeddedDynamo(options.statePath ? { path: options.statePath } : {});
  const store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: options.config.historyRetentionDays });
  const registries = options.config.registries.map((config) =>
    watchRegistry(config, {
      credentials: async () => options.credentials.get(config.id) ?? { kind: 'none' },
    }),
  );
  return {
    dynamo,
    store,
    run: (now = Date.now) => {
      // Timed like an invocation of the function: reading stops in time to store and deliver.
      const invocation = deadlineIn(options.runTimeoutMs ?? 50_000);
      return runMonitor({ registries, store, notifier: options.notifier, deadline: readingDeadline(invocation), invocationDeadline: invocation, now });
    },
    close: () => dynamo.close(),
  };
}
