/**
 * How the client spaces its starts to one registry. The budget is shared with production clients
 * (Confluent Cloud: 75 reads/s per cluster), so it must hold in every 1 s window. Within it, starts
 * go in small groups rather than one at a time: each start that wakes an idle event loop, and the
 * registry's side of the connection, costs far more CPU than the request itself. On the benchmark's
 * machine (Node 24, 2 vCPUs), a bare keep-alive client at 50 requests/s spent 0.83-1.1 ms of CPU a
 * request started one every 20 ms, and 0.5-0.8 ms a request started in groups of four or five.
 */

/** Network jitter absorbed by the pacing: the budget holds in any window of 1000 + this ms. */
export const PACING_JITTER_ALLOWANCE_MS = 20;

/** Most starts in one group: a burst the size of the client's concurrency, give or take one. */
export const MAX_START_GROUP = 5;

/** p-queue's strict (sliding window) rate limit: at most `intervalCap` starts in any `interval` ms. */
export interface Pacing {
  readonly interval: number;
  readonly intervalCap: number;
}

/**
 * Groups of g starts, at most g in any window of (1000 + allowance) x g / budget ms. A window of
 * 1000 + allowance ms then spans budget / g such windows, so it holds at most the budget only when
 * g divides it: g is the largest divisor of the budget up to MAX_START_GROUP, and 1 (evenly
 * spaced starts, as before) for a budget that is not a whole number.
 */
export function pacingFor(requestsPerSecond: number): Pacing {
  const group = startGroup(requestsPerSecond);
  return { interval: ((1000 + PACING_JITTER_ALLOWANCE_MS) * group) / requestsPerSecond, intervalCap: group };
}

function startGroup(requestsPerSecond: number): number {
  if (!Number.isInteger(requestsPerSecond)) return 1;
  for (let size = Math.min(MAX_START_GROUP, requestsPerSecond); size > 1; size -= 1) {
    if (requestsPerSecond % size === 0) return size;
  }
  return 1;
}
