/**
 * The report's figures per exporter over a window: availability (share of the watched time spent
 * RUNNING), incidents opened in the window, and time to recovery of those recovered in it.
 */
import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import { MISSING } from '../../lambda/core/model.js';
import { collectIncidents, type IncidentView, overlaps } from '../incident-list.js';
import { type RegistryState, recordsOf } from '../reads.js';
import type { Column } from '../output.js';
import { subjectColumns } from '../present.js';
import { formatDuration, type Window } from '../time.js';
import { type Segment, stateTimeline } from './timeline.js';

export interface ExporterFigures {
  readonly registryId: string;
  readonly exporterName: string;
  readonly segments: readonly Segment[];
  /** Time in the window the monitor was watching the exporter. */
  readonly watchedMs: number;
  readonly runningMs: number;
  /** runningMs / watchedMs; null when not watched at all. */
  readonly availability: number | null;
  /** Incidents opened in the window. */
  readonly opened: number;
  /** Incidents recovered in the window, and how long each took. */
  readonly recoveries: readonly number[];
  readonly meanRecoveryMs: number | null;
  readonly worstRecoveryMs: number | null;
  /** Incidents still open now. */
  readonly openNow: number;
}

export interface Report {
  readonly window: Window;
  readonly exporters: readonly ExporterFigures[];
  /** Every incident open at some time in the window, registry access ones included, newest first. */
  readonly incidents: readonly IncidentView[];
}

/** `events` cover the selected exporters from the window start up to now (not just to its end). */
export function buildReport(registries: readonly RegistryState[], events: readonly MonitorEvent[], window: Window, exporterName?: string): Report {
  const records = recordsOf(registries);
  const incidents = collectIncidents(events, records).filter((incident) => overlaps(incident, window));
  const subjects = new Map<string, { registryId: string; exporterName: string; record?: SubjectRecord; events: MonitorEvent[] }>();
  const subject = (registryId: string, name: string) => {
    const key = `${registryId}\u0000${name}`;
    if (!subjects.has(key)) subjects.set(key, { registryId, exporterName: name, events: [] });
    return subjects.get(key)!;
  };
  for (const record of records) if (record.exporterName !== undefined) subject(record.registryId, record.exporterName).record = record;
  for (const event of events) if (event.exporterName !== undefined) subject(event.registryId, event.exporterName).events.push(event);

  const watchedSince = earliestSince([...records, ...events]);
  const exporters = [...subjects.values()]
    .filter((entry) => exporterName === undefined || entry.exporterName === exporterName)
    .map((entry) => {
      const segments = stateTimeline(entry.record, entry.events, window, watchedSince.get(entry.registryId)!);
      return figures(entry.registryId, entry.exporterName, segments, incidents, window);
    })
    .filter(isWorthReporting)
    .sort((a, b) => a.registryId.localeCompare(b.registryId) || a.exporterName.localeCompare(b.exporterName));
  return { window, exporters, incidents };
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

function figures(registryId: string, exporterName: string, segments: Segment[], incidents: readonly IncidentView[], window: Window): ExporterFigures {
  const length = (segment: Segment) => segment.to - segment.from;
  const watchedMs = sum(segments.filter((s) => s.state !== undefined).map(length));
  const runningMs = sum(segments.filter((s) => s.state === 'RUNNING').map(length));
  const own = incidents.filter((incident) => incident.registryId === registryId && incident.exporterName === exporterName);
  const within = (at: number) => at >= window.from && at < window.to;
  const recoveries = own.flatMap((incident) =>
    incident.closedAt !== undefined && within(incident.closedAt) ? [incident.closedAt - incident.openedAt] : [],
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
  };
}

/** Not watched in the window, or deleted before it began (MISSING throughout): nothing to report. */
function isWorthReporting(exporter: ExporterFigures): boolean {
  return exporter.watchedMs > 0 && exporter.segments.some((s) => s.state !== undefined && s.state !== MISSING);
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
