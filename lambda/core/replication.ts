/**
 * What the registry's word RUNNING (or STARTING) does not say: whether the exporter copies. Pure:
 * the facts a run gathered (offset, definition, source fingerprint, destination comparison) come
 * in with `now`; out come what to remember and the condition the alert rules see. A RUNNING
 * exporter becomes STALLED when its offset has not moved since the source changed, and DRIFTED
 * when differences at its destination outlast the grace time; decide() handles both like any
 * other unhealthy state (debounce, incident, reminders, recovery).
 */
import { healthOf } from './decide.js';
import {
  DRIFTED,
  type DriftMemory,
  type DriftSummary,
  type Observed,
  type ReplicationMemory,
  type SourceMemory,
  STALLED,
} from './model.js';
import type { AlertPolicy } from './policy.js';
import type { DriftReport, ExporterDefinition } from './replication-model.js';

/**
 * A moving offset is written at most this often: a busy source would otherwise cost a write per
 * exporter per run. The recorded move is then up to this much later than the real one, which
 * only ever delays an alert, never raises one early.
 */
export const PROGRESS_WRITE_INTERVAL_MS = 5 * 60_000;
/** Differences remembered per exporter; the counts in the summary stay exact. */
export const DRIFT_KEYS_KEPT = 50;
/** Differences a message names. */
export const DRIFT_EXAMPLES = 5;

/** What this run learned about an exporter's copying, beyond its status. */
export interface ReplicationFacts {
  /** The definition, when one was read this run. */
  readonly definition?: ExporterDefinition;
  /** Digest of the exporter's scope at the source, when the source was listed this run. */
  readonly sourceFingerprint?: string;
  /** When the registry's source was listed before this run: a new digest means a change after it. */
  readonly previousSourceCheckAt?: number;
  /** The comparison with the destination, when one ran this run. */
  readonly drift?: { readonly destination: string; readonly report: DriftReport };
}

export interface TrackedReplication {
  /** The observation as the alert rules see it: RUNNING may have become STALLED or DRIFTED. */
  readonly observed: Observed;
  readonly memory: ReplicationMemory | undefined;
  /** The memory differs from what was stored: the record must be written. */
  readonly changed: boolean;
  /** One line, when the definition differs from the one remembered. */
  readonly definitionChange?: string;
}

export function trackReplication(
  previous: ReplicationMemory | undefined,
  observed: Observed,
  facts: ReplicationFacts,
  policy: AlertPolicy,
  now: number,
): TrackedReplication {
  const running = observed.state === 'RUNNING';
  const progress = nextProgress(previous?.progress, observed.offset, now);
  const source = nextSource(previous?.source, facts, progress.memory?.movedAt, now);
  // A drift seen before a pause says nothing once the exporter has caught up again.
  const drift = running ? nextDrift(previous?.drift, facts.drift, now) : undefined;
  const definition = facts.definition ?? previous?.definition;
  const memory = compact({ definition, progress: progress.memory, source, drift });
  const changed =
    progress.memory !== previous?.progress ||
    source !== previous?.source ||
    drift !== previous?.drift ||
    (facts.definition !== undefined && !sameDefinition(previous?.definition, facts.definition));
  const definitionChange =
    previous?.definition !== undefined && facts.definition !== undefined ? describeChange(previous.definition, facts.definition) : undefined;
  return {
    observed: running
      ? runningVerdict(observed, progress, source, drift, policy, now)
      : // How long since the offset moved is what says whether a STARTING exporter is stuck.
        healthOf(observed.state) === 'transitional'
        ? withProgress(observed, progress.memory, source)
        : observed,
    memory,
    changed,
    ...(definitionChange !== undefined && { definitionChange }),
  };
}

interface Progress {
  readonly memory: ReplicationMemory['progress'];
  /** The offset differs from the one remembered (even when the new one is not written yet). */
  readonly moved: boolean;
}

function nextProgress(previous: ReplicationMemory['progress'], offset: number | null | undefined, now: number): Progress {
  if (typeof offset !== 'number') return { memory: previous, moved: false };
  if (previous === undefined) return { memory: { offset, movedAt: now }, moved: false };
  if (offset === previous.offset) return { memory: previous, moved: false };
  const due = now - previous.movedAt >= PROGRESS_WRITE_INTERVAL_MS;
  return { memory: due ? { offset, movedAt: now } : previous, moved: true };
}

function nextSource(previous: SourceMemory | undefined, facts: ReplicationFacts, movedAt: number | undefined, now: number): SourceMemory | undefined {
  const fingerprint = facts.sourceFingerprint;
  if (fingerprint === undefined || fingerprint === previous?.fingerprint) return previous;
  // The first digest is a baseline: nothing is known to have changed yet.
  if (previous === undefined || facts.previousSourceCheckAt === undefined) return { fingerprint };
  // A change the exporter has not moved since stays the one it is timed from: a source that keeps
  // changing must not keep restarting the stall timer.
  const pending = previous.changedAt !== undefined && (previous.changedAfter ?? previous.changedAt) >= (movedAt ?? Number.NEGATIVE_INFINITY);
  if (pending) return { ...previous, fingerprint };
  return { fingerprint, changedAt: now, changedAfter: facts.previousSourceCheckAt };
}

function nextDrift(previous: DriftMemory | undefined, comparison: ReplicationFacts['drift'], now: number): DriftMemory | undefined {
  if (comparison === undefined) return previous;
  const { report, destination } = comparison;
  const keys = driftKeys(report);
  if (keys.length === 0) return undefined;
  const firstSeen = Object.fromEntries(
    keys
      .map((key) => [key, previous?.firstSeen[key] ?? now] as const)
      .sort(([a, seenA], [b, seenB]) => seenA - seenB || (a < b ? -1 : 1))
      .slice(0, DRIFT_KEYS_KEPT),
  );
  const summary: DriftSummary = {
    missingSubjects: report.missingSubjects.length,
    missingVersions: report.missingVersions.reduce((sum, gap) => sum + Math.max(1, gap.source - gap.destination), 0),
    idMismatches: report.idMismatches.length,
    examples: driftExamples(report),
    destination,
  };
  // Written at every comparison that finds differences (every driftCheckMinutes, only for an
  // exporter that drifts): when they were last confirmed is what makes them lasting.
  return { checkedAt: now, destination, firstSeen, summary };
}

function driftKeys(report: DriftReport): string[] {
  return [
    ...report.missingSubjects,
    // The first version the destination lacks: it stays the same while the destination does not catch up.
    ...report.missingVersions.map((gap) => `${gap.subject}@${gap.destination + 1}`),
    ...report.idMismatches.map((mismatch) => `${mismatch.subject}@${mismatch.version}#${mismatch.source}`),
  ];
}

function driftExamples(report: DriftReport): string[] {
  return [
    ...report.missingSubjects.map((subject) => `${subject}: missing`),
    ...report.missingVersions.map((gap) => `${gap.subject}: version ${gap.source} at the source, ${gap.destination} at the destination`),
    ...report.idMismatches.map((m) => `${m.subject} version ${m.version}: id ${m.source} at the source, ${m.destination} at the destination`),
  ].slice(0, DRIFT_EXAMPLES);
}

/** RUNNING as the registry says it, or what the monitor knows beyond: not copying, or not arriving. */
function runningVerdict(
  observed: Observed,
  progress: Progress,
  source: SourceMemory | undefined,
  drift: DriftMemory | undefined,
  policy: AlertPolicy,
  now: number,
): Observed {
  const movedAt = progress.memory?.movedAt;
  const stalled =
    !progress.moved &&
    movedAt !== undefined &&
    source?.changedAt !== undefined &&
    // The source changed after the last move the monitor saw, and the exporter had time to copy it.
    (source.changedAfter ?? source.changedAt) >= movedAt &&
    now - source.changedAt >= policy.stallAfterMs;
  if (stalled) {
    return {
      ...withProgress(observed, progress.memory, source),
      state: STALLED,
      signature: '',
      rootCause: `offset ${progress.memory!.offset} has not moved since ${iso(movedAt)}, and the source has changed since ${iso(source.changedAt!)}`,
    };
  }
  // Lasting means seen again by a comparison after the grace time: between comparisons nothing
  // new is known, and a comparison that could not run confirms nothing.
  const lasting = drift !== undefined && Object.values(drift.firstSeen).some((seen) => drift.checkedAt - seen >= policy.driftGraceMs);
  if (lasting) {
    const { summary } = drift;
    return {
      ...observed,
      state: DRIFTED,
      signature: '',
      drift: summary,
      rootCause: `${summary.missingSubjects} subject(s) and ${summary.missingVersions} version(s) missing at ${summary.destination}, ${summary.idMismatches} id mismatch(es)`,
    };
  }
  return observed;
}

function withProgress(observed: Observed, progress: ReplicationMemory['progress'], source: SourceMemory | undefined): Observed {
  if (progress === undefined) return observed;
  return {
    ...observed,
    progress: { offsetMovedAt: progress.movedAt, ...(source?.changedAt !== undefined && { sourceChangedAt: source.changedAt }) },
  };
}

const DEFINITION_FIELDS = ['subjects', 'contextType', 'context', 'subjectRenameFormat', 'sourceContext', 'destinationUrl'] as const;

function sameDefinition(a: ExporterDefinition | undefined, b: ExporterDefinition): boolean {
  return a !== undefined && describeChange(a, b) === undefined;
}

function describeChange(before: ExporterDefinition, after: ExporterDefinition): string | undefined {
  const changes = DEFINITION_FIELDS.flatMap((field) => {
    const was = JSON.stringify(before[field] ?? null);
    const now = JSON.stringify(after[field] ?? null);
    return was === now ? [] : [`${field} ${was} -> ${now}`];
  });
  return changes.length === 0 ? undefined : changes.join('; ');
}

function compact(memory: ReplicationMemory): ReplicationMemory | undefined {
  const present = Object.entries(memory).filter(([, value]) => value !== undefined);
  return present.length === 0 ? undefined : (Object.fromEntries(present) as ReplicationMemory);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
