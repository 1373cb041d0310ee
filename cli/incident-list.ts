/**
 * Incidents as people think of them (opened, recovered, why), rebuilt from what the monitor
 * stores: every event of an incident carries its id and opening time, the recovery carries its
 * duration, and an open incident lives in its subject's record.
 */
import type { MonitorEvent, SubjectRecord } from '../lambda/core/model.js';
import type { Column } from './output.js';
import type { PauseCause } from '../lambda/core/pause-cause.js';
import { causeColumn, pauseCauseColumn, resumeColumn, subjectColumns } from './present.js';
import { formatDuration, formatTime, type Window } from './time.js';

export interface IncidentView {
  readonly registryId: string;
  readonly exporterName?: string;
  readonly id: string;
  readonly openedAt: number;
  /** When the recovery (or the forgetting) was decided; undefined while open. */
  readonly closedAt?: number;
  /**
   * How it ended: the exporter recovered, or someone ran `forget` for an exporter deleted on
   * purpose, which ends the incident without anything having got better.
   */
  readonly endedBy?: 'recovered' | 'forgotten';
  readonly cause: string;
  /** The latest cause of its pause, when it was a pause. */
  readonly pauseCause?: PauseCause;
  /** Auto-resume attempts made in it, and whether auto-resume gave up. */
  readonly resumes?: { readonly attempts: number; readonly gaveUp: boolean };
}

/** Incidents seen in `events` (any order) or open in `records`; a record's cause wins over the one rebuilt from events. */
export function collectIncidents(events: readonly MonitorEvent[], records: readonly SubjectRecord[]): IncidentView[] {
  const incidents = new Map<string, IncidentView>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.incidentId === undefined) continue;
    const known = incidents.get(event.incidentId);
    const pauseCause = event.pauseCause ?? known?.pauseCause;
    const resumes = resumesAfter(known?.resumes, event);
    incidents.set(event.incidentId, {
      ...(pauseCause !== undefined && { pauseCause }),
      ...(resumes !== undefined && { resumes }),
      registryId: event.registryId,
      ...(event.exporterName !== undefined && { exporterName: event.exporterName }),
      id: event.incidentId,
      openedAt: event.incidentOpenedAt ?? event.at,
      cause: known?.cause ?? causeOf(event),
      // Only the end of an incident carries its duration.
      ...(event.durationMs !== undefined
        ? { closedAt: event.at, endedBy: event.type === 'forgotten' ? 'forgotten' : 'recovered' }
        : known?.closedAt !== undefined && { closedAt: known.closedAt, ...(known.endedBy !== undefined && { endedBy: known.endedBy }) }),
    });
  }
  for (const record of records) {
    if (record.incident === undefined) continue;
    const { id, openedAt, cause } = record.incident;
    const seen = incidents.get(id);
    const pauseCause = record.pauseCause ?? seen?.pauseCause;
    incidents.set(id, {
      ...seen,
      registryId: record.registryId,
      ...(record.exporterName !== undefined && { exporterName: record.exporterName }),
      id,
      openedAt,
      cause: readableCause(cause),
      ...(pauseCause !== undefined && { pauseCause }),
    });
  }
  return [...incidents.values()].sort((a, b) => b.openedAt - a.openedAt);
}

/** Attempts counted from the incident's auto-resume events. */
function resumesAfter(known: IncidentView['resumes'], event: MonitorEvent): IncidentView['resumes'] {
  if (event.type === 'auto-resumed') return { attempts: Math.max(known?.attempts ?? 0, event.autoResume?.attempt ?? 0), gaveUp: known?.gaveUp ?? false };
  if (event.type === 'auto-resume-gave-up') return { attempts: Math.max(known?.attempts ?? 0, event.autoResume?.attempt ?? 0), gaveUp: true };
  return known;
}

/** The monitor writes a cause as `STATE: detail`, and `MISSING: MISSING` when there is no detail. */
export function readableCause(cause: string): string {
  return cause.replace(/^([^:]+): \1$/, '$1');
}

/** Open at some time in [from, to). */
export function overlaps(incident: IncidentView, window: Window): boolean {
  return incident.openedAt < window.to && (incident.closedAt === undefined || incident.closedAt >= window.from);
}

/** Written like the record's `incident.cause` (`STATE: root cause`); a recovery only knows the state it left. */
function causeOf(event: MonitorEvent): string {
  if (event.durationMs !== undefined) return event.previousState ?? '';
  const detail = event.rootCause ?? event.failure?.message;
  return detail === undefined ? event.state : `${event.state}: ${detail}`;
}

/** The incident table of `incidents` and of the HTML report; an open incident's duration runs until `now`. */
export function incidentColumns(now: number): Column<IncidentView>[] {
  return [
    ...subjectColumns<IncidentView>(),
    { header: 'INCIDENT', value: (incident) => incident.id },
    { header: 'STARTED', value: (incident) => formatTime(incident.openedAt) },
    {
      header: 'ENDED',
      value: (incident) => (incident.closedAt === undefined ? 'open' : `${formatTime(incident.closedAt)}${incident.endedBy === 'forgotten' ? ' (forgotten)' : ''}`),
      color: (incident, colors) => (incident.closedAt === undefined ? colors.red : incident.endedBy === 'forgotten' ? colors.dim : colors.green),
    },
    { header: 'DURATION', value: (incident) => formatDuration((incident.closedAt ?? now) - incident.openedAt), align: 'right' },
    pauseCauseColumn((incident) => incident.pauseCause),
    resumeColumn((incident) => incident.resumes),
    causeColumn((incident) => incident.cause),
  ];
}
