/** Runs the CLI in-process with captured output, a pinned clock and a chosen environment. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MonitorEvent, Silence, SubjectRecord } from '../../../lambda/core/model.js';
import { StateStore } from '../../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../../local/dynamo-table.js';
import { runCli } from '../../../cli/run-cli.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly now?: number;
  readonly env?: Record<string, string>;
  /** Pretend both streams are a terminal. */
  readonly tty?: boolean;
  /** With `tty`: the terminal's width. */
  readonly columns?: number;
}

export async function cli(argv: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const isTTY = options.tty === true;
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY, ...(options.columns !== undefined && { columns: options.columns }) },
    stderr: { write: (text: string) => (stderr += text), isTTY },
    env: options.env ?? {},
    ...(options.now !== undefined && { now: () => options.now! }),
  });
  return { code, stdout, stderr };
}

/** Parses `--json` output, failing with the CLI's stderr when the command failed. */
export function json<T = Record<string, unknown>[]>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export async function temporaryDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'exporter-monitor-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface StoreContent {
  readonly records?: readonly SubjectRecord[];
  readonly events?: readonly MonitorEvent[];
  /** Registries to give a RUN item (as after a monitor run), so `--local` lists them. */
  readonly runs?: readonly { registryId: string; at: number }[];
  readonly silences?: readonly Silence[];
}

/** Writes records, runs and history into a persistent local store, then closes it so the CLI can open it. */
export async function writeLocalStore(path: string, content: StoreContent): Promise<void> {
  const dynamo = await startEmbeddedDynamo({ path });
  try {
    const store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    for (const record of content.records ?? []) await store.saveSubject(undefined, record, [], 0, record.since);
    for (const { registryId, at } of content.runs ?? []) {
      await store.recordRun(registryId, { at, exportersChecked: 0, requests: 0, failures: 0, skipped: 0 });
    }
    await store.recordHistory(content.events ?? []);
    for (const silence of content.silences ?? []) await store.putSilence(silence);
  } finally {
    await dynamo.close();
  }
}

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface EventInput {
  readonly registryId?: string;
  readonly exporterName?: string;
  readonly type: MonitorEvent['type'];
  readonly at: number;
  readonly state: string;
  readonly previousState?: string;
  /** Default: `at`. */
  readonly since?: number;
  readonly incident?: { readonly id: string; readonly openedAt: number };
  readonly durationMs?: number;
  readonly notify?: boolean;
  readonly rootCause?: string;
  readonly trace?: string;
  readonly muted?: MonitorEvent['muted'];
  readonly autoResume?: MonitorEvent['autoResume'];
}

/** A history event shaped like the core's, with only what a test cares about spelled out. */
export function event(input: EventInput): MonitorEvent {
  const registryId = input.registryId ?? 'prod';
  return {
    id: `evt-${registryId}-${input.exporterName ?? 'registry'}-${input.type}-${input.at}`,
    type: input.type,
    severity: input.state === 'RUNNING' || input.state === 'OK' ? 'info' : 'critical',
    registryId,
    ...(input.exporterName !== undefined && { exporterName: input.exporterName }),
    at: input.at,
    state: input.state,
    ...(input.previousState !== undefined && { previousState: input.previousState }),
    since: input.since ?? input.at,
    ...(input.incident && { incidentId: input.incident.id, incidentOpenedAt: input.incident.openedAt }),
    ...(input.durationMs !== undefined && { durationMs: input.durationMs }),
    ...(input.rootCause !== undefined && { rootCause: input.rootCause }),
    ...(input.trace !== undefined && { trace: input.trace }),
    ...(input.muted !== undefined && { muted: input.muted }),
    ...(input.autoResume !== undefined && { autoResume: input.autoResume }),
    notify: input.notify ?? true,
  };
}

export function record(registryId: string, exporterName: string, state: string, since: number, incident?: { id: string; openedAt: number; cause: string }): SubjectRecord {
  return {
    registryId,
    exporterName,
    state,
    signature: '',
    since,
    ...(incident && { incident: { ...incident, lastAlertAt: incident.openedAt } }),
  };
}
