/** The reads commands share: which registries, their current records, and history, with progress on a terminal. */
import type { MonitorEvent, SubjectRecord } from '../lambda/core/model.js';
import { type HistoryFilter, readHistory } from '../lambda/store/history-queries.js';
import type { RegistrySnapshot } from '../lambda/ports.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import type { Selection } from './options.js';
import type { Window } from './time.js';

export interface RegistryState {
  readonly registryId: string;
  readonly snapshot: RegistrySnapshot;
}

/**
 * Current records, silences and last run of each registry named, else of every watched registry:
 * one Query per registry. A registry named but never checked is a typo in every command alike.
 */
export async function loadRegistries(context: CommandContext, named: readonly string[] | undefined): Promise<RegistryState[]> {
  const target = await context.target();
  const explicit = named !== undefined && named.length > 0;
  const registryIds = explicit ? named : await target.listRegistries();
  const states: RegistryState[] = [];
  for (const [index, registryId] of registryIds.entries()) {
    context.progress.update(`reading registry ${registryId} (${index + 1}/${registryIds.length})`);
    const snapshot = await target.store.loadRegistry(registryId);
    if (explicit) assertChecked(registryId, snapshot, target.label);
    states.push({ registryId, snapshot });
  }
  context.progress.done();
  return states;
}

/** The one message for a registry id nobody ever checked: `status`, `history`, `silence`, `forget`... say the same. */
export function assertChecked(registryId: string, snapshot: RegistrySnapshot, label: string): void {
  if (snapshot.lastRun === undefined && snapshot.exporters.size === 0 && snapshot.monitor === undefined) {
    throw new CliError(`registry "${registryId}" has never been checked (in ${label}); check the id (\`status\` lists the known ones)`);
  }
}

/** History matching the filter, newest first, every page followed. */
export async function readEvents(context: CommandContext, filter: HistoryFilter): Promise<MonitorEvent[]> {
  const { client, tableName } = await context.target();
  const events = await readHistory(
    { client, tableName, onPage: ({ pages, events: count }) => context.progress.update(`reading history: ${pages} page(s), ${count} event(s)`) },
    filter,
  );
  context.progress.done();
  return events;
}

/** Every current record of the registries: the access record of each registry (if written yet) and its exporters'. */
export function recordsOf(registries: readonly RegistryState[]): SubjectRecord[] {
  return registries.flatMap(({ snapshot }) => [...(snapshot.monitor ? [snapshot.monitor] : []), ...snapshot.exporters.values()].map(({ record }) => record));
}

/**
 * The selection's events from the window start up to now, not just to its end: later events say
 * when an incident of the window recovered and which state held at its end.
 */
export function eventsSinceWindowStart(context: CommandContext, window: Window, selection: Selection): Promise<MonitorEvent[]> {
  return readEvents(context, { ...historyFilter(selection), from: window.from, to: Math.max(window.to, context.now) });
}

export function historyFilter(selection: Selection): Pick<HistoryFilter, 'registryIds' | 'exporterName'> {
  return {
    ...(selection.registry !== undefined && { registryIds: selection.registry }),
    ...(selection.exporter !== undefined && { exporterName: selection.exporter }),
  };
}
