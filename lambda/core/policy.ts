/** When a change becomes an alert. Every field can be set per registry; the defaults suit most teams. */
export interface AlertPolicy {
  /** Consecutive checks an unhealthy state (PAUSED, MISSING, STALLED, unknown) must hold before it is announced. */
  readonly unhealthyChecks: number;
  /** Consecutive checks RUNNING must hold before a recovery is announced. */
  readonly recoveryChecks: number;
  /**
   * STARTING or UNASSIGNED with an offset that has not moved for this long raises "stuck". An
   * exporter whose offset keeps moving is working (a large first export takes hours).
   */
  readonly stuckAfterMs: number;
  /** STARTING or UNASSIGNED for this long raises "stuck" even while its offset moves. */
  readonly startingCeilingMs: number;
  /** RUNNING with an offset that has not moved for this long after the source changed is STALLED. */
  readonly stallAfterMs: number;
  /** How often the source subjects in exporters' scopes are listed and fingerprinted. */
  readonly sourceCheckIntervalMs: number;
  /** How often exporter definitions (`GET /exporters/{name}`) are read again after the first. */
  readonly definitionRefreshMs: number;
  /** How often the destination is compared with the source, where the destination is configured. */
  readonly driftCheckIntervalMs: number;
  /** How long a difference at the destination must last before it is drift. */
  readonly driftGraceMs: number;
  /** While an incident stays open, remind every this often; 0 disables reminders. */
  readonly reminderIntervalMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_POLICY: AlertPolicy = {
  unhealthyChecks: 2,
  recoveryChecks: 1,
  stuckAfterMs: 30 * MINUTE,
  startingCeilingMs: 12 * 60 * MINUTE,
  stallAfterMs: 15 * MINUTE,
  sourceCheckIntervalMs: 5 * MINUTE,
  definitionRefreshMs: 60 * MINUTE,
  driftCheckIntervalMs: 15 * MINUTE,
  driftGraceMs: 15 * MINUTE,
  reminderIntervalMs: 240 * MINUTE,
};

/** Guarded auto-resume of PAUSED exporters (core/auto-resume.ts), when a registry opts in. */
export interface AutoResumePolicy {
  /** Decide, record and announce "would resume", but never call the registry. */
  readonly dryRun: boolean;
  /** Attempts before giving up, counted until the counter resets. */
  readonly maxAttempts: number;
  /** The longest wait between two attempts. */
  readonly backoffCapMs: number;
  /** RUNNING this long resets the counter. */
  readonly resetAfterMs: number;
}

export const DEFAULT_AUTO_RESUME: AutoResumePolicy = {
  dryRun: false,
  maxAttempts: 3,
  backoffCapMs: 60 * MINUTE,
  resetAfterMs: 60 * MINUTE,
};
