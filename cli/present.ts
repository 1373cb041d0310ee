/** How subjects and states look in every command, so `status`, `history` and `report` read alike. */
import { PAUSE_CAUSE_LABEL, type PauseCause } from '../lambda/core/pause-cause.js';
import { healthOf } from '../lambda/core/decide.js';
import type { Colors } from './io.js';
import type { Column } from './output.js';

/** Events and records about the monitor's access to a registry have no exporter. */
export function subjectName(exporterName: string | undefined): string {
  return exporterName ?? '(registry)';
}

/** Green when healthy, yellow on the way (STARTING, UNASSIGNED), red otherwise, like the alerts' severities. */
export function stateColor(state: string, colors: Colors): (text: string) => string {
  const health = healthOf(state);
  return health === 'healthy' ? colors.green : health === 'transitional' ? colors.yellow : colors.red;
}

export interface Subject {
  readonly registryId: string;
  readonly exporterName?: string;
}

/** The REGISTRY and EXPORTER columns that start most tables. */
export function subjectColumns<T extends Subject>(): Column<T>[] {
  return [
    { header: 'REGISTRY', value: (row) => row.registryId },
    { header: 'EXPORTER', value: (row) => subjectName(row.exporterName), maxWidth: 48 },
  ];
}

/** `io.confluent.kafka....RestClientException: msg` reads as `RestClientException: msg` in a table. */
const QUALIFIED_THROWABLE = /\b(?:[a-z_$][\w$]*\.)+([A-Z][\w$]*(?:Exception|Error|Throwable))\b/g;

/** A root cause or incident cause: the message matters more than the Java package in a narrow column. */
export function causeColumn<T>(cause: (row: T) => string): Column<T> {
  return { header: 'CAUSE', value: cause, brief: (text) => text.replace(QUALIFIED_THROWABLE, '$1'), maxWidth: 100 };
}

/** Why a PAUSED exporter paused (the taxonomy's label), for `status`, `incidents` and the report. */
export function pauseCauseColumn<T>(cause: (row: T) => PauseCause | undefined): Column<T> {
  return { header: 'PAUSED BECAUSE', value: (row) => {
    const found = cause(row);
    return found === undefined ? '' : PAUSE_CAUSE_LABEL[found];
  }, maxWidth: 40 };
}

/** Auto-resume attempts made, and whether it gave up: `2 attempts`, `gave up after 3`. */
export function resumeColumn<T>(attempts: (row: T) => { readonly attempts: number; readonly gaveUp: boolean } | undefined): Column<T> {
  return {
    header: 'AUTO-RESUME',
    value: (row) => {
      const made = attempts(row);
      if (made === undefined || made.attempts === 0) return '';
      return made.gaveUp ? `gave up after ${made.attempts}` : `${made.attempts} attempt${made.attempts === 1 ? '' : 's'}`;
    },
    color: (row, colors) => (attempts(row)?.gaveUp ? colors.red : colors.yellow),
  };
}
