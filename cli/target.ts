/**
 * Where the CLI reads and writes: the deployed table (standard AWS credential chain and region,
 * the table named by flag or found in the stack's outputs) or the local store of `npm start`.
 * Types and defaults only: open-target.ts opens one, and each kind of target imports this file.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StateStore } from '../lambda/store/state-store.js';

export interface Target {
  /** What is being read, for messages: `local store .local-state`, `table "x" in eu-west-1`. */
  readonly label: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * Reads records, writes silences and history: built with the monitor's history retention, so
   * what the CLI adds to history expires with the rest.
   */
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
  /** Overrides the history retention the target would otherwise learn (or assume): see each target. */
  readonly historyRetentionDays?: number;
}

export const DEFAULT_LOCAL_DIR = '.local-state';
/** What bin/app.ts names the stack unless `-c stackName=...` says otherwise. */
export const DEFAULT_STACK = 'SchemaExporterMonitor';
