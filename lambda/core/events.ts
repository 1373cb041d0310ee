/**
 * Events that no check decides, built here like every other event so they have the same shape
 * and ids: an operator forgetting an exporter, a changed exporter definition, and a configuration
 * the function cannot use.
 */
import { eventId } from './decide.js';
import { type EventType, type MonitorEvent, REGISTRY_DEGRADED, type SubjectRecord } from './model.js';

/** The registry id under which a configuration problem is announced: there is no registry to name. */
export const CONFIGURATION_REGISTRY_ID = 'configuration';

/** An event about a record that only history keeps: informational, never sent. */
function recordedEvent(record: SubjectRecord, type: EventType, now: number, fields: Partial<MonitorEvent>): MonitorEvent {
  return {
    id: eventId(record.registryId, record.exporterName, type, now),
    type,
    severity: 'info',
    registryId: record.registryId,
    ...(record.exporterName !== undefined && { exporterName: record.exporterName }),
    at: now,
    state: record.state,
    since: record.since,
    ...fields,
    notify: false,
  };
}

/**
 * The end of a forgotten exporter's incident, for history: without it, `incidents` and `report`
 * (which read history) would show the incident open for ever. Recorded, never sent.
 */
export function forgottenEvent(record: SubjectRecord & { readonly incident: NonNullable<SubjectRecord['incident']> }, now: number): MonitorEvent {
  const { incident } = record;
  return recordedEvent(record, 'forgotten', now, {
    previousState: record.state,
    incidentId: incident.id,
    incidentOpenedAt: incident.openedAt,
    durationMs: now - incident.openedAt,
  });
}

/** What an exporter copies changed (someone updated it): history, shown by the CLI, never sent. */
export function definitionChangedEvent(record: SubjectRecord, change: string, now: number): MonitorEvent {
  return recordedEvent(record, 'definition-changed', now, { definitionChange: change });
}

/** "The monitor cannot run": said on the alert topic when the function's configuration is unusable. */
export function configurationEvent(problem: string, now: number): MonitorEvent {
  return {
    id: eventId(CONFIGURATION_REGISTRY_ID, undefined, 'monitor-degraded', now),
    type: 'monitor-degraded',
    severity: 'critical',
    registryId: CONFIGURATION_REGISTRY_ID,
    at: now,
    state: REGISTRY_DEGRADED,
    since: now,
    failure: { kind: 'configuration', message: problem },
    notify: true,
  };
}
