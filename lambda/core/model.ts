/**
 * The monitor's vocabulary: what the registry told us, what we remember, and what we announce.
 * Pure data, shared by the core, the adapters and the CLI.
 */

import type { PauseCause } from './pause-cause.js';
import type { ExporterDefinition } from './replication-model.js';

/** Exporter states are open-ended: the Confluent Cloud spec marks the enum `x-extensible-enum`. */
export type ExporterState = string;

/** The condition the monitor records for an exporter that the registry says does not exist (404, 40450). */
export const MISSING = 'MISSING';

/**
 * Conditions the monitor derives for an exporter the registry calls RUNNING (replication.ts):
 * its offset has not moved although the source changed, or the destination lacks what it should hold.
 */
export const STALLED = 'STALLED';
export const DRIFTED = 'DRIFTED';

/** Conditions of the monitor's own ability to read a registry. */
export const REGISTRY_OK = 'OK';
export const REGISTRY_DEGRADED = 'DEGRADED';

/** One successful read of `GET /exporters/{name}/status`. */
export interface ExporterStatus {
  readonly name: string;
  readonly state: ExporterState;
  /** Position in the registry's schema log; -1 before anything was exported. Null when absent. */
  readonly offset: number | null;
  /** Epoch milliseconds of the last exported record. Null when absent. */
  readonly ts: number | null;
  /** Java stack trace of the last failure; null or empty when healthy. Can be several KB (or more). */
  readonly trace: string | null;
}

/** What the registry said about one exporter. Monitor failures are not observations. */
export type ExporterObservation =
  | { readonly kind: 'status'; readonly status: ExporterStatus }
  /** `404` with `error_code` 40450: the exporter does not exist (deleted, or never created). */
  | { readonly kind: 'missing' };

/** Why the monitor could not read something. Never an exporter state change. */
export type MonitorFailureKind =
  | 'credentials' // 401, 403, or the OAuth token endpoint refused
  | 'not-found' // 404 without 40450: wrong base URL, exporter API disabled
  | 'rate-limited' // 429 still after retries
  | 'server-error' // 5xx still after retries
  | 'timeout'
  | 'network'
  | 'invalid-response' // 200 whose body is not a valid status/list (HTML login page, truncated JSON, ...)
  | 'redirect' // 3xx: never followed, credentials stay with the configured host
  | 'client-error' // any other 4xx
  | 'configuration'; // missing secret, secret without the expected fields, bad config

export interface MonitorFailure {
  readonly kind: MonitorFailureKind;
  /** One line for people. Never contains credentials. */
  readonly message: string;
  readonly httpStatus?: number;
  readonly errorCode?: number;
  /** The registry's `X-Request-Id`, for support tickets. */
  readonly requestId?: string;
  /** The request path (exporter names are the only registry-supplied part). */
  readonly path?: string;
}

/** Everything one run learned from one registry. */
export interface RegistryReading {
  readonly registryId: string;
  /** Exporters read successfully, by name. An exporter whose read failed is absent. */
  readonly observations: ReadonlyMap<string, ExporterObservation>;
  /** What went wrong; empty when every request succeeded. */
  readonly failures: readonly MonitorFailure[];
  /** Exporters left for the next run because the invocation's deadline was near (or the credentials were refused). */
  readonly skipped: readonly string[];
  /** Where the next run's reading starts: at most the first skipped name; absent when none was skipped. */
  readonly resumeAt?: string;
  /** HTTP requests sent to the registry (retries included), for metrics and the benchmark. */
  readonly requestCount: number;
}

export type Severity = 'critical' | 'warning' | 'info';

/** Every type of event, in the order the CLI lists them. */
export const EVENT_TYPES = [
  /** The exporter moved from one state to another (A -> B). */
  'state-changed',
  /** A newly watched exporter was first seen in an unhealthy state. */
  'first-seen-unhealthy',
  /** The registry answered 404 with error code 40450. */
  'disappeared',
  /** An exporter that had disappeared exists again. */
  'reappeared',
  /** A PAUSED exporter now fails with a different error. */
  'error-changed',
  /** STARTING or UNASSIGNED without progress for the policy's limit, or past its hard ceiling. */
  'stuck',
  /** RUNNING, but its offset has not moved since the source registered new schemas. */
  'stalled',
  /** RUNNING, but subjects or versions in its scope have been missing at the destination past the grace time. */
  'drifted',
  /** What the exporter copies (subjects, context type, context, rename format) changed. Recorded, never sent. */
  'definition-changed',
  /** The monitor resumed a PAUSED exporter whose cause is transient (or, in a dry run, would have): the attempt and its outcome. */
  'auto-resumed',
  /** Auto-resume made its last attempt and the exporter is still PAUSED: a person must look. */
  'auto-resume-gave-up',
  /** The incident is still open after the reminder interval. */
  'reminder',
  /** The exporter is RUNNING again after an announced incident. */
  'recovered',
  /** The monitor cannot read the registry (credentials, outage, rate limit beyond retries). */
  'monitor-degraded',
  'monitor-reminder',
  'monitor-recovered',
  /** An operator forgot an exporter deleted on purpose (CLI `forget`): its incident ends. Recorded, never sent. */
  'forgotten',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** An exporter or a whole registry muted until a time, with a reason. */
export interface Silence {
  readonly registryId: string;
  /** The exporter muted, or undefined for the whole registry. */
  readonly exporterName?: string;
  readonly until: number;
  readonly reason: string;
  readonly createdBy?: string;
}

/** What a check saw besides the state, carried from the observation into the events it causes. */
export interface ObservedDetails {
  readonly offset?: number | null;
  readonly ts?: number | null;
  /** A bounded excerpt of the trace (see TRACE_EXCERPT_CHARS). */
  readonly trace?: string;
  /** The first `...Exception: message` line of the trace. */
  readonly rootCause?: string;
  /** The `error code: NNNNN` found in the trace, if any. */
  readonly errorCode?: number;
  /** For a PAUSED exporter: why it paused, read from its trace (pause-cause.ts). */
  readonly pauseCause?: PauseCause;
  /** For a PAUSED exporter on a registry with auto-resume: what the monitor did or will not do about it. */
  readonly autoResume?: AutoResumeDetails;
  /** For the registry itself (monitor-* events): what failed. */
  readonly failure?: MonitorFailure;
  /** For stalls and stuck exports: when the offset last moved, and when the source last changed. */
  readonly progress?: ProgressDetails;
  /** For drift: what is missing at the destination. */
  readonly drift?: DriftSummary;
  /** For definition changes: what changed, one line. */
  readonly definitionChange?: string;
}

export interface ProgressDetails {
  /** When the monitor saw the offset move last (epoch ms); absent when it never saw it move. */
  readonly offsetMovedAt?: number;
  /** When the monitor saw the exporter's source scope change after that (epoch ms). */
  readonly sourceChangedAt?: number;
}

/** One auto-resume decision as messages and the CLI tell it. */
export interface AutoResumeDetails {
  /**
   * resumed: the registry accepted the resume; already-running: it answered 409 with 40961;
   * failed: it refused or could not be reached; would-resume: a dry run, nothing sent;
   * refused: the cause is not one a resume fixes; gave-up: no attempts left.
   */
  readonly outcome: 'resumed' | 'already-running' | 'failed' | 'would-resume' | 'refused' | 'gave-up';
  /** This attempt's number since the counter last reset (the last one made, for gave-up). */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  /** A dry run: the registry was not called. */
  readonly dryRun?: boolean;
  /** No further attempt before this time (epoch ms); absent when none will follow. */
  readonly nextAttemptAt?: number;
  /** Why it failed, or why the monitor will not resume: one line, no credentials. */
  readonly reason?: string;
}

/** How far a destination is behind, as messages tell it. */
export interface DriftSummary {
  readonly missingSubjects: number;
  readonly missingVersions: number;
  readonly idMismatches: number;
  /** The first few differences, one short line each (`orders-value: missing`). */
  readonly examples: readonly string[];
  /** The destination registry compared. */
  readonly destination: string;
}

/** What one check saw, reduced to what the rules need. */
export interface Observed extends ObservedDetails {
  /** Exporter state, MISSING, STALLED, DRIFTED, or OK / DEGRADED for the registry itself. */
  readonly state: string;
  /** Identifies the error behind an unhealthy state ('' when none): a different one is news. */
  readonly signature: string;
}

/** One thing worth telling people (or, when `notify` is false, only worth recording). */
export interface MonitorEvent extends ObservedDetails {
  /** Stable id: a re-delivery of the same event carries the same id, so duplicates can be recognised. */
  readonly id: string;
  readonly type: EventType;
  readonly severity: Severity;
  readonly registryId: string;
  /** Undefined for events about the registry itself (monitor-*). */
  readonly exporterName?: string;
  /** When the monitor decided this (epoch ms). */
  readonly at: number;
  readonly previousState?: string;
  /** Exporter state, MISSING, or OK/DEGRADED for monitor events. */
  readonly state: string;
  /** Since when the current state holds (first observation of it, epoch ms). */
  readonly since: number;
  readonly incidentId?: string;
  readonly incidentOpenedAt?: number;
  /** For recovered events: how long the incident lasted. */
  readonly durationMs?: number;
  /** False for changes that are recorded but not sent (for example RUNNING -> STARTING with no incident). */
  readonly notify: boolean;
  /** Set when a silence covered the event: it is recorded, not sent. */
  readonly muted?: { readonly until: number; readonly reason: string };
}

/** Pending (not yet confirmed) change, counted over consecutive checks for debounce. */
export interface PendingChange {
  readonly state: string;
  readonly signature: string;
  readonly count: number;
  readonly since: number;
}

export interface Incident {
  readonly id: string;
  readonly openedAt: number;
  /** When the last message of this incident was decided, for reminders. */
  readonly lastAlertAt: number;
  /**
   * The last message of this incident was muted by a silence: nobody has heard of its latest
   * state, so once the silence ends the next check reminds at once.
   */
  readonly lastAlertMuted?: boolean;
  /** One line: what opened it. */
  readonly cause: string;
}

/**
 * What the monitor remembers about one exporter, or about the registry itself
 * (`exporterName` undefined): the last confirmed state, any change still being
 * debounced, and the open incident. Offsets and timestamps are not tracked here,
 * so a run where nothing changed writes nothing.
 */
export interface SubjectRecord {
  readonly registryId: string;
  readonly exporterName?: string;
  /** Last confirmed state (exporter state, MISSING, OK or DEGRADED). */
  readonly state: string;
  /** Root cause signature of the confirmed state ('' when none), to spot a new error. */
  readonly signature: string;
  /** When the confirmed state was first observed. */
  readonly since: number;
  readonly pending?: PendingChange;
  readonly incident?: Incident;
  /** Latest details kept for people (CLI status); refreshed only when the record is written anyway. */
  readonly offset?: number | null;
  readonly ts?: number | null;
  readonly rootCause?: string;
  /** Why the confirmed PAUSED state paused (absent for other states, and in records written before the taxonomy). */
  readonly pauseCause?: PauseCause;
  /** Auto-resume attempts since the counter last reset; absent when none was made. */
  readonly autoResume?: ResumeMemory;
  /** What the monitor knows of the exporter's copying (replication.ts); absent until it first reads it. */
  readonly replication?: ReplicationMemory;
}

/**
 * The exporter's definition and progress as the monitor last recorded them. Written only when
 * something in it changes (and the offset at most every few minutes), so quiet runs stay free.
 */
export interface ReplicationMemory {
  readonly definition?: ExporterDefinition;
  /** The offset, and when the monitor first saw it at that value. */
  readonly progress?: { readonly offset: number; readonly movedAt: number };
  /** Digest of the source subjects in the exporter's scope, and when that digest last changed. */
  readonly source?: SourceMemory;
  /** Differences seen at the destination, each with when it was first seen (bounded). */
  readonly drift?: DriftMemory;
}

/**
 * Attempts survive a recovery: an exporter that relapses after a resume continues the count, which
 * resets only once it has stayed RUNNING for the policy's time (Strimzi's rule for connectors).
 */
export interface ResumeMemory {
  readonly attempts: number;
  readonly lastAttemptAt: number;
  /** Set once the give-up message was decided, so it is said once. */
  readonly gaveUpAt?: number;
}

export interface SourceMemory {
  readonly fingerprint: string;
  /** When the listing that found a new digest ran. */
  readonly changedAt?: number;
  /** The listing before it, which still saw the old digest: the change happened after this. */
  readonly changedAfter?: number;
}

export interface DriftMemory {
  readonly checkedAt: number;
  readonly destination: string;
  /** Difference key (`subject`, `subject@version`, `subject@version#id`) -> first seen (epoch ms). */
  readonly firstSeen: Readonly<Record<string, number>>;
  readonly summary: DriftSummary;
}

/** Characters of trace kept in events, messages and history items. */
export const TRACE_EXCERPT_CHARS = 2000;
