/** The simulated registry's rate limit: a budget of requests in any sliding 1 s window, answered with 429 beyond it. */
import { registryError, type Reply } from './simulator-http.js';

const WINDOW_MS = 1000;

export class SlidingWindowLimit {
  /** Arrival times within the last window, oldest first. */
  private readonly arrivals: number[] = [];

  /** @param budget requests allowed in any window; unlimited when undefined */
  constructor(private readonly budget: number | undefined) {}

  /** Counts an arrival in the sliding window; true when it is over the budget. */
  arrive(at: number): boolean {
    if (this.budget === undefined) return false;
    while (this.arrivals.length > 0 && this.arrivals[0]! <= at - WINDOW_MS) this.arrivals.shift();
    this.arrivals.push(at);
    return this.arrivals.length > this.budget;
  }

  /** The 429 for a request over the budget, with the rate-limit headers that say when to try again. */
  tooManyRequests(at: number): Reply {
    const resetSeconds = String(Math.max(1, Math.ceil((this.arrivals[0]! + WINDOW_MS - at) / 1000)));
    const reply = registryError(429, 429, 'Rate limit exceeded');
    return {
      ...reply,
      headers: {
        ...reply.headers,
        'retry-after': resetSeconds,
        'x-ratelimit-limit': String(this.budget),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': resetSeconds,
      },
    };
  }
}
