/**
 * How the client spaces its starts to one registry. The budget is shared with production clients
 * (Confluent Cloud: 75 reads/s per cluster), so it must hold in every 1 s window where requests
 * ARRIVE: starts go one at a time, evenly spaced. Starting them in groups (5 every 102 ms at 50/s)
 * would halve the CPU of each request on a 2-vCPU VM, but measured at the registry it went over the
 * budget: p-queue's window is counted in whole Date.now() milliseconds, so grouped starts come up
 * to 1 ms early per interval, and a group that arrives late puts a whole group in the next window
 * (4 to 74 requests over the budget in a benchmark run, against 0 spaced evenly).
 *
 * p-queue counts each interval from the real start before it, which fires late in whole ms, so
 * its starts drift about 4 % behind the budget (21.2 ms apart at 50/s, not 20.4). A fixed grid of
 * starts (each turn the previous turn plus the interval, behind a sliding window of real starts)
 * took that drift out, and went over the budget where requests arrive under load: 191 and 259
 * requests of the benchmark's fan-out (50 registries, 10 workers on 2 cores), against 0. The drift
 * is margin for arrival jitter beyond the allowance below; keep it.
 */

/** Network jitter absorbed by the pacing: the budget holds in any window of 1000 + this ms. */
export const PACING_JITTER_ALLOWANCE_MS = 20;

/** p-queue's strict (sliding window) rate limit: at most `intervalCap` starts in any `interval` ms. */
export interface Pacing {
  readonly interval: number;
  readonly intervalCap: number;
}

/**
 * One start in any (1000 + allowance) / budget ms: the interval is stretched a little so the budget
 * also holds where requests arrive, whose spacing varies by a few ms (exactly 1000 / budget would
 * put budget + 1 arrivals in some 1 s windows).
 */
export function pacingFor(requestsPerSecond: number): Pacing {
  return { interval: (1000 + PACING_JITTER_ALLOWANCE_MS) / requestsPerSecond, intervalCap: 1 };
}
