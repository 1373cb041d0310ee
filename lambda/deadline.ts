/** How much of the invocation is left; the registry client stops starting requests near the end. */
export interface Deadline {
  timeLeftMs(): number;
}

export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  const end = now() + ms;
  return { timeLeftMs: () => end - now() };
}
