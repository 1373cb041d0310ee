/**
 * How the client spaces its starts to one registry. The budget is shared with production clients
 * (Confluent Cloud: 75 reads/s per cluster), so it must hold in every 1 s window where requests
 * ARRIVE: starts go one at a time, evenly spaced. Starting them in groups (5 every 102 ms at 50/s)
 * would halve the CPU of each request on a 2-vCPU VM, but measured at the registry it went over the
 * budget: a group that arrives late puts a whole group in the next window (4 to 74 requests over
 * the budget in a benchmark run, against 0 spaced evenly).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Network jitter absorbed by the pacing: the budget holds in any window of 1000 + this ms. */
export const PACING_JITTER_ALLOWANCE_MS = 20;

/**
 * One start every (1000 + allowance) / budget ms: the spacing is stretched a little so the budget
 * also holds where requests arrive, whose spacing varies by a few ms (exactly 1000 / budget would
 * put budget + 1 arrivals in some 1 s windows).
 */
export function startSpacingMs(requestsPerSecond: number): number {
  return (1000 + PACING_JITTER_ALLOWANCE_MS) / requestsPerSecond;
}

/** Where the schedule reads the time and how it waits: a monotonic clock in ms, and a timer. */
export interface ScheduleTime {
  readonly now: () => number;
  readonly wait: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

const realTime: ScheduleTime = {
  now: () => performance.now(),
  wait: (ms, signal) => sleep(ms, undefined, signal === undefined ? undefined : { signal }),
};

/**
 * Starts on a fixed grid: each turn is the previous turn plus the spacing, or now when the client
 * was idle longer. A turn is counted from the grid, not from when the last timer fired, so a timer
 * that fires late (Node's timers run in whole ms, a busy loop delays them) does not push every
 * later start back: p-queue's sliding window did, and its starts drifted 1 to 2 ms a request
 * behind the budget (21.2 ms apart at 50/s, not 20.4). No start goes before its turn, and a turn
 * late by less than the jitter allowance cannot put more than the budget in any 1 s window.
 */
export class StartSchedule {
  private nextTurn = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly spacingMs: number,
    private readonly time: ScheduleTime = realTime,
  ) {}

  /** Takes the next turn and resolves when it comes; rejects if `signal` aborts first (the turn stays spent). */
  async turn(signal?: AbortSignal): Promise<void> {
    const at = Math.max(this.time.now(), this.nextTurn);
    this.nextTurn = at + this.spacingMs;
    // A timer may fire a fraction of a ms early (the event loop's clock is cached): wait out the rest.
    for (let left = at - this.time.now(); left > 0; left = at - this.time.now()) {
      await this.time.wait(Math.max(1, left), signal);
    }
  }
}
