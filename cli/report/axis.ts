/**
 * The timeline's time axis: ticks on round UTC minutes, hours or days, few enough that their
 * labels never touch on a page as narrow as a laptop's half screen, and labels no longer than
 * they need to be (the date only where it changes).
 */
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 40320].map((minutes) => minutes * MINUTE);
/**
 * A label is at most 11 characters ("11-26 09:00", about 75 px at the axis' font); the bars are at
 * least 640 px wide when the page is 1,000 px, so 7 ticks leave a label's width between neighbours.
 */
export const MAX_TICKS = 7;

export interface Tick {
  readonly at: number;
  readonly label: string;
}

export function axisTicks(from: number, to: number): Tick[] {
  // A window of n steps holds up to n + 1 ticks (both ends on round times).
  const fits = (candidate: number) => Math.floor((to - from) / candidate) + 1 <= MAX_TICKS;
  const step = TICK_STEPS.find(fits) ?? Math.ceil((to - from) / (MAX_TICKS - 1) / DAY) * DAY;
  const times: number[] = [];
  for (let at = Math.ceil(from / step) * step; at <= to; at += step) times.push(at);
  const daily = step % DAY === 0;
  return times.map((at, index) => ({ at, label: label(at, daily, index === 0 || dayOf(at) !== dayOf(times[index - 1]!)) }));
}

/** `11-26` on day ticks; `09:00` on hour ticks, `11-26 09:00` on the first one and where the day changes. */
function label(at: number, daily: boolean, newDay: boolean): string {
  const iso = new Date(at).toISOString();
  if (daily) return iso.slice(5, 10);
  return newDay ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

function dayOf(at: number): number {
  return Math.floor(at / DAY);
}
