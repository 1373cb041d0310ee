/**
 * The report's figures per exporter over a window: availability (share of the watched time spent
 * RUNNING), incidents opened in the window, and time to recovery of those recovered in it. Time
 * the monitor could not read the registry is blind: counted neither as running nor as down.
 */
import { MISSING, type MonitorEvent, REGISTRY_DEGRADED, REGISTRY_OK, type Silence, type SubjectRecord } from '../../lambda/core/model.js';
import { collectIncidents, type IncidentView, overlaps } from '../incident-list.js';
import { type RegistryState, recordsOf } from '../reads.js';
import type { Column } from '../output.js';
import { subjectColumns } from '../present.js';
import { formatDuration, type Window } from '../time.js';
import { type Marker, markersOf } from './markers.js';
import { type Segment, stateTimeline, withBlindTime } from './timeline.js';

export interface ExporterFigures {
  readonly registryId: string;
  readonly exporterName: string;
  readonly segments: readonly Segment[];
  /** Time in the window the monitor was watching the exporter and could read its registry. */
  readonly watchedMs: number;
  readonly runningMs: number;
  /** runningMs / watchedMs; null when not watched at all. */
  readonly availability: number | null;
  /** Incidents opened in the window. */
  readonly opened: number;
  /** Incidents recovered in the window, and how long each took (a forgotten one did not recover). */
  readonly recoveries: readonly number[];
  readonly meanRecoveryMs: number | null;
  readonly worstRecoveryMs: number | null;
  /** Incidents still open now. */
  readonly openNow: number;
  /** Alerts, held-back alerts, auto-resume attempts and forgetting, in time order. */
  readonly markers: readonly Marker[];
}

/** A registry's own row: could the monitor read it, and its exporters, worst first. */
export interface RegistryFigures {
  readonly registryId: string;
  /** OK or DEGRADED (reads failing) while watched; DEGRADED time is blind time for every exporter of it. */
  readonly segments: readonly Segment[];
  readonly blindMs: number;
  readonly markers: readonly Marker[];
  /** Silences in force now: the whole registry's and its exporters'. */
  readonly silences: readonly Silence[];
  readonly lastRunAt?: number;
  readonly exporters: readonly ExporterFigures[];
}

export interface Report {
  readonly window: Window;
  /** Every exporter reported, by registry and name (the table's order, stable for scripts). */
  readonly exporters: readonly ExporterFigures[];
  /** The same exporters grouped by registry, worst registry first, worst exporter first in each. */
  readonly registries: readonly RegistryFigures[];
  /** Every incident open at some time in the window, registry access ones included, newest first. */
  readonly incidents: readonly IncidentView[];
}

/**
 * `events` cover the selected registries from the window start up to now (not just to its end),
 * the registries' own events included even when one exporter is selected: they say when the
 * monitor could not see it.
 */
export function buildReport(registries: readonly RegistryState[], events: readonly MonitorEvent[], window: Window, exporterName?: string): Report {
  const records = recordsOf(registries);
  const selected = (subject: { exporterName?: string }) => exporterName === undefined || subject.exporterName === undefined || subject.exporterName === exporterName;
  const incidents = collectIncidents(events.filter(selected), records.filter(selected)).filter((incident) => overlaps(incident, window));
  const watchedSince = earliestSince([...records, ...events]);
  const histories = historiesBySubject(events);
  const groups = registries.map(({ registryId, snapshot }) => {
    const own = histories.get(registryId) ?? new Map<string | undefined, MonitorEvent[]>();
    const registryEvents = own.get(undefined) ?? [];
    const health = registryHealth(snapshot.monitor?.record, registryEvents, window, watchedSince.get(registryId));
    const blind = health.filter((segment) => segment.state === REGISTRY_DEGRADED);
    const names = new Set([...snapshot.exporters.keys(), ...[...own.keys()].filter((name) => name !== undefined)]);
    const exporters = [...names]
      .filter((name) => exporterName === undefined || name === exporterName)
      .map((name) => {
        const history = own.get(name) ?? [];
        const segments = withBlindTime(stateTimeline(snapshot.exporters.get(name)?.record, history, window, watchedSince.get(registryId)!), blind);
        return figures(registryId, name, segments, incidents, window, markersOf(history, window));
      })
      .filter(isWorthReporting);
    return {
      registryId,
      segments: health,
      blindMs: sum(blind.map(length)),
      markers: markersOf(registryEvents, window),
      silences: snapshot.silences.filter(selected),
      ...(snapshot.lastRun && { lastRunAt: snapshot.lastRun.at }),
      exporters: [...exporters].sort(worstExporterFirst),
    };
  });
  const exporters = groups
    .flatMap((group) => group.exporters)
    .sort((a, b) => a.registryId.localeCompare(b.registryId) || a.exporterName.localeCompare(b.exporterName));
  return { window, exporters, registries: groups.filter((group) => group.exporters.length > 0 || group.blindMs > 0).sort(worstRegistryFirst), incidents };
}

/** Events by registry, then by exporter (undefined: the registry's own), in one pass. */
function historiesBySubject(events: readonly MonitorEvent[]): Map<string, Map<string | undefined, MonitorEvent[]>> {
  const histories = new Map<string, Map<string | undefined, MonitorEvent[]>>();
  for (const event of events) {
    const registry = histories.get(event.registryId) ?? histories.set(event.registryId, new Map()).get(event.registryId)!;
    const history = registry.get(event.exporterName) ?? registry.set(event.exporterName, []).get(event.exporterName)!;
    history.push(event);
  }
  return histories;
}

/**
 * The registry's OK/DEGRADED timeline. A registry that never failed may have no event and, before
 * its first run wrote one, no record: it was OK for as long as it was watched.
 */
function registryHealth(record: SubjectRecord | undefined, events: readonly MonitorEvent[], window: Window, watchedSince: number | undefined): Segment[] {
  if (watchedSince === undefined) return [];
  const segments = stateTimeline(record, events, window, watchedSince);
  if (segments.length > 0 || watchedSince >= window.to) return segments;
  return [{ from: Math.max(watchedSince, window.from), to: window.to, state: REGISTRY_OK }];
}

/**
 * Per registry, the earliest `since` of any record or event: the monitor watched the registry at
 * least from then. An exporter that never changed keeps the time of the monitor's first run.
 */
function earliestSince(subjects: readonly { registryId: string; since: number }[]): Map<string, number> {
  const earliest = new Map<string, number>();
  for (const { registryId, since } of subjects) earliest.set(registryId, Math.min(since, earliest.get(registryId) ?? Infinity));
  return earliest;
}

const length = (segment: Segment) => segment.to - segment.from;

function figures(registryId: string, exporterName: string, segments: Segment[], incidents: readonly IncidentView[], window: Window, markers: Marker[]): ExporterFigures {
  const seen = segments.filter((s) => s.state !== undefined && !s.blind);
  const watchedMs = sum(seen.map(length));
  const runningMs = sum(seen.filter((s) => s.state === 'RUNNING').map(length));
  const own = incidents.filter((incident) => incident.registryId === registryId && incident.exporterName === exporterName);
  const within = (at: number) => at >= window.from && at < window.to;
  const recoveries = own.flatMap((incident) =>
    incident.endedBy === 'recovered' && within(incident.closedAt!) ? [incident.closedAt! - incident.openedAt] : [],
  );
  return {
    registryId,
    exporterName,
    segments,
    watchedMs,
    runningMs,
    availability: watchedMs > 0 ? runningMs / watchedMs : null,
    opened: own.filter((incident) => within(incident.openedAt)).length,
    recoveries,
    meanRecoveryMs: recoveries.length > 0 ? sum(recoveries) / recoveries.length : null,
    worstRecoveryMs: recoveries.length > 0 ? Math.max(...recoveries) : null,
    openNow: own.filter((incident) => incident.closedAt === undefined).length,
    markers,
  };
}

/** Not watched in the window, or deleted before it began (MISSING throughout): nothing to report. */
function isWorthReporting(exporter: ExporterFigures): boolean {
  return exporter.segments.some((s) => s.state !== undefined && s.state !== MISSING);
}

/** Open incidents first, then the least time running, then the most incidents; by name among equals. */
function worstExporterFirst(a: ExporterFigures, b: ExporterFigures): number {
  return b.openNow - a.openNow || (a.availability ?? 1) - (b.availability ?? 1) || b.opened - a.opened || a.exporterName.localeCompare(b.exporterName);
}

/** Unreadable now first, then the most open incidents, then the most blind time, then its worst exporter. */
function worstRegistryFirst(a: RegistryFigures, b: RegistryFigures): number {
  const unreadable = (registry: RegistryFigures) => (registry.segments.at(-1)?.state === REGISTRY_DEGRADED ? 1 : 0);
  const open = (registry: RegistryFigures) => sum(registry.exporters.map((exporter) => exporter.openNow));
  const worst = (registry: RegistryFigures) => registry.exporters[0]?.availability ?? 1;
  return unreadable(b) - unreadable(a) || open(b) - open(a) || b.blindMs - a.blindMs || worst(a) - worst(b) || a.registryId.localeCompare(b.registryId);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

const duration = (ms: number | null) => (ms === null ? '' : formatDuration(ms));

/** The report's table, on the terminal and in the HTML page. */
export const FIGURE_COLUMNS: Column<ExporterFigures>[] = [
  ...subjectColumns<ExporterFigures>(),
  { header: 'AVAILABILITY', value: (row) => (row.availability === null ? '' : percent(row.availability)), align: 'right' },
  { header: 'RUNNING', value: (row) => formatDuration(row.runningMs), align: 'right' },
  { header: 'WATCHED', value: (row) => formatDuration(row.watchedMs), align: 'right' },
  { header: 'INCIDENTS', value: (row) => String(row.opened), align: 'right' },
  { header: 'RECOVERED', value: (row) => String(row.recoveries.length), align: 'right' },
  { header: 'MEAN TTR', value: (row) => duration(row.meanRecoveryMs), align: 'right' },
  { header: 'WORST TTR', value: (row) => duration(row.worstRecoveryMs), align: 'right' },
  { header: 'OPEN NOW', value: (row) => String(row.openNow), align: 'right' },
];

/** Rounded down, so an exporter that was down at all never shows 100.00%. */
export function percent(share: number): string {
  return `${(Math.floor(share * 10_000) / 100).toFixed(2)}%`;
}
