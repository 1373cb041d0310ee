/**
 * How many of a registry's exporters are in each condition an operator watches, by the state the monitor has
 * confirmed (not by a single reading, which debounce may still discard). Pure: records in, counts out.
 */
import { healthOf } from './decide.js';
import { DRIFTED, STALLED, type SubjectRecord } from './model.js';

export interface ExporterConditions {
  /** Confirmed in a state that is not healthy (PAUSED, MISSING, ...), other than stalled or drifted. */
  readonly unhealthy: number;
  readonly stalled: number;
  readonly drifted: number;
}

/** Counts the exporters' records; the record of the registry itself (no exporter name) is not an exporter. */
export function countConditions(records: Iterable<SubjectRecord>): ExporterConditions {
  let unhealthy = 0;
  let stalled = 0;
  let drifted = 0;
  for (const { exporterName, state } of records) {
    if (exporterName === undefined) continue;
    if (state === STALLED) stalled += 1;
    else if (state === DRIFTED) drifted += 1;
    else if (healthOf(state) === 'unhealthy') unhealthy += 1;
  }
  return { unhealthy, stalled, drifted };
}
