/**
 * Guarded auto-resume, the pure part: whether a PAUSED exporter is owed a resume now, and what is
 * said about it. Modelled on Strimzi's automatic restart of failed connectors: a growing back-off
 * (n² + n minutes, capped), a maximum number of attempts, and a counter that resets once the
 * exporter has stayed RUNNING. Only causes a resume can fix are touched (pause-cause.ts); an
 * exporter paused on purpose (empty trace), a silenced one, or one still being debounced never is.
 * The attempt is written into the record before anyone calls the registry, with the same
 * conditional write that protects alerts, so of two overlapping runs only one resumes.
 */
import { type Decision, eventId, healthOf } from './decide.js';
import type { AutoResumeDetails, MonitorEvent, Observed, SubjectRecord } from './model.js';
import { isTransient } from './pause-cause.js';
import type { AutoResumePolicy } from './policy.js';

const MINUTE = 60_000;

/** Strimzi's back-off: after the n-th attempt, wait n² + n minutes (2, 6, 12, 20 ...), at most the cap. */
export function backoffAfter(attempt: number, policy: AutoResumePolicy): number {
  return Math.min((attempt * attempt + attempt) * MINUTE, policy.backoffCapMs);
}

/** A resume this run owes, once the record that claims it is stored. */
export interface ResumeAttempt {
  readonly registryId: string;
  readonly exporterName: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly dryRun: boolean;
  /** When the next attempt may come, if this one does not hold; absent after the last. */
  readonly nextAttemptAt?: number;
}

export interface ResumeContext {
  readonly now: number;
  /** A silence on the exporter or its registry pauses auto-resume too. */
  readonly silenced: boolean;
}

export type ResumeDecision = Decision & { readonly attempt?: ResumeAttempt };

/** Adds to the exporter's decision what auto-resume, which its registry opted in to, does about it. */
export function planResume(decision: Decision, observed: Observed, policy: AutoResumePolicy, context: ResumeContext): ResumeDecision {
  const { record } = decision;
  const events = decision.events.map((event) => withRefusal(event));
  const counted = record.autoResume;
  if (counted !== undefined && record.pending === undefined && healthOf(record.state) === 'healthy' && context.now - record.since >= policy.resetAfterMs) {
    const { autoResume: _reset, ...rest } = record;
    return { record: rest, events, changed: true };
  }
  if (!owed(record, observed) || context.silenced) return { ...decision, events };

  const attempts = counted?.attempts ?? 0;
  if (counted !== undefined && context.now - counted.lastAttemptAt < backoffAfter(counted.attempts, policy)) return { ...decision, events };
  const incident = record.incident!;
  if (attempts >= policy.maxAttempts) {
    if (counted?.gaveUpAt !== undefined) return { ...decision, events };
    const gaveUp = { ...record, autoResume: { ...counted!, gaveUpAt: context.now }, incident: { ...incident, lastAlertAt: context.now } };
    const details: AutoResumeDetails = { outcome: 'gave-up', attempt: attempts, maxAttempts: policy.maxAttempts, ...(policy.dryRun && { dryRun: true }) };
    return { record: gaveUp, events: [...events, resumeEvent(gaveUp, 'auto-resume-gave-up', details, context.now)], changed: true };
  }
  const attempt = attempts + 1;
  const claimed = { ...record, autoResume: { attempts: attempt, lastAttemptAt: context.now } };
  return {
    record: claimed,
    events,
    changed: true,
    attempt: {
      registryId: record.registryId,
      exporterName: record.exporterName!,
      attempt,
      maxAttempts: policy.maxAttempts,
      dryRun: policy.dryRun,
      ...(attempt < policy.maxAttempts && { nextAttemptAt: context.now + backoffAfter(attempt, policy) }),
    },
  };
}

/**
 * Owed a resume: confirmed PAUSED in an open incident and still PAUSED with the same error now (so
 * no change is being debounced), with a cause a resume fixes.
 */
function owed(record: SubjectRecord, observed: Observed): boolean {
  return (
    record.exporterName !== undefined &&
    record.state === 'PAUSED' &&
    record.incident !== undefined &&
    observed.state === 'PAUSED' &&
    observed.signature === record.signature &&
    observed.pauseCause !== undefined &&
    isTransient(observed.pauseCause)
  );
}

/** A PAUSED exporter's message says when the monitor will not resume it, so nobody waits for it to. */
function withRefusal(event: MonitorEvent): MonitorEvent {
  if (event.state !== 'PAUSED' || event.pauseCause === undefined || isTransient(event.pauseCause) || !event.notify) return event;
  return { ...event, autoResume: { outcome: 'refused' } };
}

/** The outcome of an attempt, once the registry answered (or, in a dry run, without asking it). */
export type ResumeOutcome =
  | { readonly kind: 'resumed' | 'already-running' | 'would-resume' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * An attempt's outcome, once the registry answered (or, in a dry run, without asking it): the
 * history event and message, in the incident's thread, and the record whose reminder clock it restarts.
 */
export function resumeOutcome(record: SubjectRecord, attempt: ResumeAttempt, outcome: ResumeOutcome, now: number): { record: SubjectRecord; event: MonitorEvent } {
  const details: AutoResumeDetails = {
    outcome: outcome.kind,
    attempt: attempt.attempt,
    maxAttempts: attempt.maxAttempts,
    ...(attempt.dryRun && { dryRun: true }),
    ...(attempt.nextAttemptAt !== undefined && { nextAttemptAt: attempt.nextAttemptAt }),
    ...(outcome.kind === 'failed' && { reason: outcome.reason }),
  };
  const announced = record.incident === undefined ? record : { ...record, incident: { ...record.incident, lastAlertAt: now } };
  return { record: announced, event: resumeEvent(announced, 'auto-resumed', details, now) };
}

function resumeEvent(record: SubjectRecord, type: 'auto-resumed' | 'auto-resume-gave-up', details: AutoResumeDetails, now: number): MonitorEvent {
  const { incident } = record;
  return {
    id: eventId(record.registryId, record.exporterName, type, now),
    type,
    severity: type === 'auto-resume-gave-up' ? 'critical' : details.outcome === 'failed' ? 'warning' : 'info',
    registryId: record.registryId,
    ...(record.exporterName !== undefined && { exporterName: record.exporterName }),
    at: now,
    state: record.state,
    since: record.since,
    ...(record.offset !== undefined && { offset: record.offset }),
    ...(record.ts !== undefined && { ts: record.ts }),
    ...(record.rootCause !== undefined && { rootCause: record.rootCause }),
    ...(record.pauseCause !== undefined && { pauseCause: record.pauseCause }),
    ...(incident !== undefined && { incidentId: incident.id, incidentOpenedAt: incident.openedAt }),
    autoResume: details,
    notify: true,
  };
}
