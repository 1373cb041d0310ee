/**
 * What `check` tells a script and a person at a glance: an exit code per outcome, a summary line,
 * the unhealthy exporters first, and every read that failed said as what it was.
 */
import { healthOf } from '../lambda/core/decide.js';
import type { RegistryReading } from '../lambda/core/model.js';

/** `check`'s exit codes (docs/cli.md): 1 stays every usage or setup error, as for every command. */
export const CHECK_EXIT = {
  /** Every exporter read is RUNNING. */
  allRunning: 0,
  /** Some exporter is not RUNNING: PAUSED, STARTING, missing, a state the monitor does not know. */
  notRunning: 2,
  /** Some exporter (or the registry) could not be read: what the monitor knows is incomplete. */
  unread: 3,
} as const;

const HEALTH_ORDER = { unhealthy: 0, transitional: 1, healthy: 2 } as const;

/** Unhealthy first, then on their way, then RUNNING; by name within each. */
export function worstFirst<T extends { readonly exporterName: string; readonly state: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => HEALTH_ORDER[healthOf(a.state)] - HEALTH_ORDER[healthOf(b.state)] || a.exporterName.localeCompare(b.exporterName));
}

/** `4 exporters: 2 RUNNING, 1 PAUSED, 1 STARTING` (most common state first), and what could not be read. */
export function summaryLine(states: readonly string[], unread: number): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  const parts = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([state, count]) => `${count} ${state}`);
  const total = states.length + unread;
  return `${total} exporter${total === 1 ? '' : 's'}: ${[...parts, ...(unread > 0 ? [`${unread} not read`] : [])].join(', ')}`;
}

/**
 * One line per problem. Exporters left unread because the registry refused the credentials are
 * said to be so, not to have run out of time.
 */
export function readProblems(reading: RegistryReading): string[] {
  const refused = reading.failures.some((failure) => failure.kind === 'credentials');
  const why = refused ? 'not read: the registry refused the credentials' : 'not read before the timeout';
  return [...reading.failures.map((failure) => failure.message), ...reading.skipped.map((name) => `${name}: ${why}`)];
}

export function exitCodeOf(states: readonly string[], problems: number): number {
  if (problems > 0) return CHECK_EXIT.unread;
  return states.every((state) => state === 'RUNNING') ? CHECK_EXIT.allRunning : CHECK_EXIT.notRunning;
}
