/**
 * The pure core: given what the monitor remembers about an exporter (or about its own access to
 * a registry) and what it observes now, decide the new memory and the events to announce.
 * No I/O and no clock: `now` comes in, so every rule can be driven through time in tests.
 */
import { createHash } from 'node:crypto';
import {
  type EventType,
  type Incident,
  DRIFTED,
  MISSING,
  type MonitorEvent,
  type Observed,
  REGISTRY_OK,
  type ReplicationMemory,
  type Severity,
  type Silence,
  STALLED,
  type SubjectRecord,
} from './model.js';
import type { AlertPolicy } from './policy.js';
import { activeSilence, applySilences } from './silence.js';

export interface DecisionContext {
  readonly registryId: string;
  /** Undefined when the subject is the monitor's access to the registry. */
  readonly exporterName?: string;
  readonly now: number;
  readonly policy: AlertPolicy;
  /** The registry's silences; one covering this subject now mutes its events (they are still recorded). */
  readonly silences?: readonly Silence[];
}

export interface Decision {
  readonly record: SubjectRecord;
  readonly events: readonly MonitorEvent[];
  /** False when the record is exactly as it was: nothing to write. */
  readonly changed: boolean;
}

export type Health = 'healthy' | 'transitional' | 'unhealthy';

/** RUNNING is healthy; STARTING and UNASSIGNED are on their way; anything else, including states not invented yet, is not. */
export function healthOf(state: string): Health {
  if (state === 'RUNNING' || state === REGISTRY_OK) return 'healthy';
  if (state === 'STARTING' || state === 'UNASSIGNED') return 'transitional';
  return 'unhealthy';
}

function severityOf(state: string): Severity {
  if (state === 'PAUSED' || state === MISSING) return 'critical';
  return healthOf(state) === 'healthy' ? 'info' : 'warning';
}

export function decide(previous: SubjectRecord | undefined, observed: Observed, context: DecisionContext): Decision {
  const silence = activeSilence(context.silences ?? [], context.registryId, context.exporterName, context.now);
  const decision = decideAloud(previous, observed, context, silence !== undefined);
  if (decision.events.length === 0) return decision;
  const events = applySilences(decision.events, silence ? [silence] : [], context.now);
  const { incident } = decision.record;
  if (incident === undefined || !events.some((event) => event.incidentId === incident.id)) return { ...decision, events };
  const { lastAlertMuted: _previous, ...rest } = incident;
  const marked = silence ? { ...rest, lastAlertMuted: true } : rest;
  return { record: { ...decision.record, incident: marked }, events, changed: true };
}

/** The decision as if nobody were silenced; `silenced` only tells whether a muted incident is owed a reminder. */
function decideAloud(previous: SubjectRecord | undefined, observed: Observed, context: DecisionContext, silenced: boolean): Decision {
  if (previous === undefined) return firstSight(observed, context);
  const health = healthOf(observed.state);
  const unchanged = observed.state === previous.state && (health !== 'unhealthy' || sameError(previous, observed));
  if (unchanged) return holdSteady(previous, observed, context, silenced);

  // Entering another state, the checks count while the state holds, whatever its error says
  // (a registry failing with a timeout, then a 503, is degraded all the same; the latest error is
  // the one announced). A new error in the same state must itself hold to be news.
  const earlier = previous.pending;
  const continues =
    earlier !== undefined &&
    earlier.state === observed.state &&
    (observed.state !== previous.state || earlier.signature === errorKey(observed));
  const pending = continues
    ? { ...earlier, signature: errorKey(observed), count: earlier.count + 1 }
    : { state: observed.state, signature: errorKey(observed), count: 1, since: context.now };
  const checksNeeded = health === 'healthy' ? context.policy.recoveryChecks : context.policy.unhealthyChecks;
  if (pending.count < checksNeeded) {
    return { record: { ...previous, pending }, events: [], changed: true };
  }
  return confirmChange(previous, observed, pending.since, context);
}

/**
 * The same error: the same signature and, a change of cause being news of its own, the same cause
 * of the pause. A record written before causes were recorded has none and keeps its error.
 */
function sameError(previous: SubjectRecord, observed: Observed): boolean {
  return observed.signature === previous.signature && (previous.pauseCause === undefined || previous.pauseCause === observed.pauseCause);
}

/** What a pending change's checks must keep observing to count: the error and its cause. */
function errorKey(observed: Observed): string {
  return observed.pauseCause === undefined ? observed.signature : `${observed.signature}|${observed.pauseCause}`;
}

/** The registry itself has no record until its first run; before that it is assumed readable. */
export function registryBaseline(registryId: string, now: number): SubjectRecord {
  return { registryId, state: REGISTRY_OK, signature: '', since: now };
}

function firstSight(observed: Observed, context: DecisionContext): Decision {
  const record = withDetails(
    { registryId: context.registryId, ...subjectName(context), state: observed.state, signature: observed.signature, since: context.now },
    observed,
  );
  if (healthOf(observed.state) !== 'unhealthy') return { record, events: [], changed: true };
  // Nothing flipped, so there is nothing to debounce: the exporter was already in this state before we looked.
  const incident = openIncident(context, context.now, observed);
  const event = buildEvent('first-seen-unhealthy', observed, context, { since: context.now, incident, notify: true });
  return { record: { ...record, incident }, events: [event], changed: true };
}

/** Same state as confirmed: a blip may have ended, a dwell limit or a reminder may be due. */
function holdSteady(previous: SubjectRecord, observed: Observed, context: DecisionContext, silenced: boolean): Decision {
  const { pending: _endedBlip, ...settled } = previous;
  // A record from before causes were recorded learns its cause once.
  const learnsCause = observed.pauseCause !== undefined && previous.pauseCause === undefined;
  const changed = previous.pending !== undefined || learnsCause;
  const { now, policy } = context;
  const health = healthOf(previous.state);

  if (health === 'transitional' && previous.incident === undefined && stuck(previous.since, previous.replication, policy, now)) {
    const incident = openIncident(context, previous.since, observed);
    const event = buildEvent('stuck', observed, context, { since: previous.since, incident, notify: true });
    return { record: withDetails({ ...settled, incident }, observed), events: [event], changed: true };
  }
  const incident = previous.incident;
  const reminderDue =
    incident !== undefined &&
    ((policy.reminderIntervalMs > 0 && now - incident.lastAlertAt >= policy.reminderIntervalMs) ||
      (incident.lastAlertMuted === true && !silenced));
  if (incident !== undefined && reminderDue) {
    const reminded = { ...incident, lastAlertAt: now };
    const type: EventType = context.exporterName === undefined ? 'monitor-reminder' : 'reminder';
    const event = buildEvent(type, observed, context, { since: previous.since, incident: reminded, notify: true });
    return { record: withDetails({ ...settled, incident: reminded }, observed), events: [event], changed: true };
  }
  const kept = learnsCause ? { ...settled, pauseCause: observed.pauseCause } : settled;
  return { record: changed ? kept : previous, events: [], changed };
}

/**
 * STARTING (or UNASSIGNED) too long without progress, or past the hard ceiling: an exporter whose
 * offset keeps moving is copying, however long its first export takes, up to the ceiling.
 */
function stuck(since: number, memory: ReplicationMemory | undefined, policy: AlertPolicy, now: number): boolean {
  const lastProgress = Math.max(since, memory?.progress?.movedAt ?? since);
  return now - lastProgress >= policy.stuckAfterMs || now - since >= policy.startingCeilingMs;
}

/** What entering an unhealthy state is called; a derived state has its own name. */
function unhealthyChange(previous: SubjectRecord, observed: Observed, isRegistry: boolean): EventType {
  if (isRegistry) return 'monitor-degraded';
  if (observed.state === MISSING) return 'disappeared';
  if (previous.state === observed.state) return 'error-changed';
  if (observed.state === STALLED) return 'stalled';
  if (observed.state === DRIFTED) return 'drifted';
  return 'state-changed';
}

function confirmChange(previous: SubjectRecord, observed: Observed, since: number, context: DecisionContext): Decision {
  const { pending: _confirmed, incident: previousIncident, ...rest } = previous;
  const base = withDetails({ ...rest, state: observed.state, signature: observed.signature, since }, observed);
  const fields = { previousState: previous.state, since };
  const isRegistry = context.exporterName === undefined;

  switch (healthOf(observed.state)) {
    case 'healthy': {
      if (previousIncident === undefined) {
        // A change between calm states (STARTING -> RUNNING with no alert before) is history, not news.
        const event = buildEvent('state-changed', observed, context, { ...fields, notify: false });
        return { record: base, events: [event], changed: true };
      }
      const type: EventType = isRegistry ? 'monitor-recovered' : previous.state === MISSING ? 'reappeared' : 'recovered';
      const event = buildEvent(type, observed, context, {
        ...fields,
        incident: previousIncident,
        durationMs: context.now - previousIncident.openedAt,
        notify: true,
      });
      return { record: base, events: [event], changed: true };
    }
    case 'transitional': {
      // PAUSED -> STARTING after a resume is part of the incident; RUNNING -> STARTING alone is not news.
      const type: EventType = previous.state === MISSING ? 'reappeared' : 'state-changed';
      const incident = previousIncident && { ...previousIncident, lastAlertAt: context.now };
      const event = buildEvent(type, observed, context, { ...fields, incident, notify: incident !== undefined });
      return { record: incident ? { ...base, incident } : base, events: [event], changed: true };
    }
    case 'unhealthy': {
      const type = unhealthyChange(previous, observed, isRegistry);
      const incident = previousIncident
        ? { ...previousIncident, lastAlertAt: context.now }
        : openIncident(context, since, observed);
      const event = buildEvent(type, observed, context, { ...fields, incident, notify: true });
      return { record: { ...base, incident }, events: [event], changed: true };
    }
  }
}

function subjectName(context: DecisionContext): { exporterName?: string } {
  return context.exporterName === undefined ? {} : { exporterName: context.exporterName };
}

function withDetails(record: SubjectRecord, observed: Observed): SubjectRecord {
  const { rootCause: _stale, pauseCause: _staleCause, ...rest } = record;
  return {
    ...rest,
    ...(observed.pauseCause === undefined ? {} : { pauseCause: observed.pauseCause }),
    ...(observed.offset === undefined ? {} : { offset: observed.offset }),
    ...(observed.ts === undefined ? {} : { ts: observed.ts }),
    ...(observed.rootCause === undefined ? {} : { rootCause: observed.rootCause }),
  };
}

function openIncident(context: DecisionContext, openedAt: number, observed: Observed): Incident {
  const cause = observed.rootCause ?? observed.failure?.message ?? observed.state;
  return {
    id: `inc-${digest(context.registryId, context.exporterName ?? '', String(openedAt)).slice(0, 16)}`,
    openedAt,
    lastAlertAt: context.now,
    cause: `${observed.state}: ${cause}`.slice(0, 300),
  };
}

interface EventFields {
  readonly since: number;
  readonly previousState?: string;
  readonly incident?: Incident | undefined;
  readonly durationMs?: number;
  readonly notify: boolean;
}

function buildEvent(type: EventType, observed: Observed, context: DecisionContext, fields: EventFields): MonitorEvent {
  const { incident, ...rest } = fields;
  const severity: Severity =
    type === 'recovered' || type === 'monitor-recovered' || (type === 'reappeared' && healthOf(observed.state) === 'healthy')
      ? 'info'
      : context.exporterName === undefined
        ? 'warning'
        : severityOf(observed.state);
  const optional = {
    offset: observed.offset,
    ts: observed.ts,
    trace: observed.trace,
    rootCause: observed.rootCause,
    errorCode: observed.errorCode,
    pauseCause: observed.pauseCause,
    autoResume: observed.autoResume,
    failure: observed.failure,
    progress: observed.progress,
    drift: observed.drift,
    incidentId: incident?.id,
    incidentOpenedAt: incident?.openedAt,
  };
  return {
    id: eventId(context.registryId, context.exporterName, type, context.now),
    type,
    severity,
    registryId: context.registryId,
    ...subjectName(context),
    at: context.now,
    state: observed.state,
    ...rest,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** Derived from what happened, so the same decision always carries the same id. */
export function eventId(registryId: string, exporterName: string | undefined, type: EventType, at: number): string {
  return `evt-${digest(registryId, exporterName ?? '', type, String(at)).slice(0, 24)}`;
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
