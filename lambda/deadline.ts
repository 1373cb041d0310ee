/** How much of the invocation is left; the registry client stops starting requests near the end. */
export interface Deadline {
  timeLeftMs(): number;
}

/**
 * No request starts with less time left than a full request timeout plus this, so the
 * invocation can still record what it learned.
 */
export const START_MARGIN_MS = 1000;

export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  const end = now() + ms;
  return { timeLeftMs: () => end - now() };
}

/**
 * The part of an invocation with `remainingMs` left that reading the registries may use: the
 * rest is kept for storing and delivering what was read. The construct checks at synth time that
 * one request fits in it.
 */
export function readingWindowMs(remainingMs: number): number {
  return remainingMs * 0.8 - 3_000;
}

/** The reading part of an invocation that ends with `invocation`. */
export function readingDeadline(invocation: Deadline): Deadline {
  return { timeLeftMs: () => readingWindowMs(invocation.timeLeftMs()) };
}
