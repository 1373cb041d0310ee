/**
 * Where the CLI reads and writes: the deployed table (standard AWS credential chain and region,
 * the table named by flag or found in the stack's outputs) or the local store of `npm start`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { REGISTRY_DEFAULTS } from '../lambda/config.js';
import { StateStore } from '../lambda/store/state-store.js';

export interface Target {
  /** What is being read, for messages: `local store .local-state`, `table "x" in eu-west-1`. */
  readonly label: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly store: StateStore;
  /** The registries the monitor watches, for commands given no --registry. */
  listRegistries(): Promise<string[]>;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** `--local` alone is true: the default folder. */
  readonly local?: string | true;
  readonly table?: string;
  readonly stack: string;
  readonly region?: string;
  readonly profile?: string;
}

export const DEFAULT_LOCAL_DIR = '.local-state';
/** What bin/app.ts names the stack unless `-c stackName=...` says otherwise. */
export const DEFAULT_STACK = 'SchemaExporterMonitor';

export async function openTarget(options: TargetOptions): Promise<Target> {
  // Imported on demand: `check` and `--help` need neither LevelDB nor the AWS clients.
  if (options.local !== undefined) {
    const { openLocalTarget } = await import('./local-target.js');
    return openLocalTarget(options.local === true ? DEFAULT_LOCAL_DIR : options.local);
  }
  const { openAwsTarget } = await import('./aws-target.js');
  return openAwsTarget(options);
}

export function stateStore(client: DynamoDBClient, tableName: string): StateStore {
  // The CLI writes silences only, never history, so the history retention is irrelevant here.
  return new StateStore({ client, tableName, historyRetentionDays: REGISTRY_DEFAULTS.historyRetentionDays });
}
