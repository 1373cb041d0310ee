/** Turns what the registry said into what the rules look at. */
import { type ExporterObservation, MISSING, type MonitorFailure, REGISTRY_DEGRADED, REGISTRY_OK } from './model.js';
import type { Observed } from './model.js';
import { pauseCause } from './pause-cause.js';
import { summarizeTrace } from './trace.js';

export function observeExporter(observation: ExporterObservation): Observed {
  if (observation.kind === 'missing') return { state: MISSING, signature: '' };
  const { state, offset, ts, trace } = observation.status;
  const summary = summarizeTrace(trace);
  return {
    state,
    // Only a failing exporter's error identifies its condition; RUNNING with a stale trace is just RUNNING.
    signature: state === 'PAUSED' ? summary.signature : '',
    ...(state === 'PAUSED' && { pauseCause: pauseCause(trace) }),
    offset,
    ts,
    ...(summary.rootCause !== undefined && { rootCause: summary.rootCause }),
    ...(summary.errorCode !== undefined && { errorCode: summary.errorCode }),
    ...(summary.excerpt !== undefined && { trace: summary.excerpt }),
  };
}

/** The registry subject's state for a run: OK, or DEGRADED with the first failure as its cause. */
export function observeRegistry(failures: readonly MonitorFailure[]): Observed {
  const failure = failures[0];
  if (failure === undefined) return { state: REGISTRY_OK, signature: '' };
  return { state: REGISTRY_DEGRADED, signature: failure.kind, failure, rootCause: failure.message };
}
