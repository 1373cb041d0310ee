/** When a change becomes an alert. Every field can be set per registry; the defaults suit most teams. */
export interface AlertPolicy {
  /** Consecutive checks an unhealthy state (PAUSED, MISSING, unknown) must hold before it is announced. */
  readonly unhealthyChecks: number;
  /** Consecutive checks RUNNING must hold before a recovery is announced. */
  readonly recoveryChecks: number;
  /** STARTING or UNASSIGNED for longer than this raises "stuck" (a large export can take an hour). */
  readonly stuckAfterMs: number;
  /** While an incident stays open, remind every this often; 0 disables reminders. */
  readonly reminderIntervalMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_POLICY: AlertPolicy = {
  unhealthyChecks: 2,
  recoveryChecks: 1,
  stuckAfterMs: 30 * MINUTE,
  reminderIntervalMs: 240 * MINUTE,
};
