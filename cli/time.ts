/**
 * Time expressions on the command line (`--since 7d`, `--until 2026-11-26T09:00Z`, `silence --until 2h`,
 * `--history-retention-days 30`) and how times and durations are shown. Times without a zone are UTC,
 * like every time the CLI prints.
 */
import { DATE_LIMIT_MS } from '../lambda/core/date-limit.js';
import { CliError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DISPLAY_UNITS = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const;
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HINT = 'use a duration like 30m, 12h, 7d, 2w, "now", or an ISO time like 2026-11-26T09:00Z';

/**
 * Reads `now`, a duration counted from now (into the past for a window, into the future for a
 * silence: `direction` says which), or an ISO date/time.
 */
export function parseTime(text: string, option: string, now: number, direction: -1 | 1): number {
  const value = text.trim();
  if (value === 'now') return now;
  const duration = DURATION.exec(value);
  if (duration) {
    const at = now + direction * Number(duration[1]) * UNIT_MS[duration[2]!]!;
    // 20000000w is a duration, but lands past any time a Date (or a DynamoDB TTL) can hold.
    if (showable(at)) return at;
    throw new CliError(`${option}: "${text}" is too far from now; ${HINT}`);
  }
  const iso = ISO_DATE.exec(value);
  if (iso && isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) {
    const at = Date.parse(`${value.replace(' ', 'T')}${iso[4] === undefined && value.length > 10 ? 'Z' : ''}`);
    if (Number.isFinite(at)) return at;
  }
  throw new CliError(`${option}: cannot read "${text}" as a time; ${HINT}`);
}

/** A history retention (`--history-retention-days`, the stack's output): whole days, as the construct takes them. */
export function parseDays(text: string, source: string): number {
  const days = Number(text);
  if (Number.isInteger(days) && days >= 1) return days;
  throw new CliError(`${source}: "${text}" is not a whole number of days, at least 1`);
}

/** Date.parse rolls 2026-11-31 over to December 1 instead of refusing it. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface Window {
  readonly from: number;
  readonly to: number;
}

export function parseWindow(since: string, until: string, now: number): Window {
  const window = { from: parseTime(since, '--since', now, -1), to: parseTime(until, '--until', now, -1) };
  if (window.from >= window.to) throw new CliError(`--since (${formatTime(window.from)}) must be before --until (${formatTime(window.to)})`);
  return window;
}

/**
 * A Date holds ±8.64e15 ms; beyond, toISOString throws. A registry's ts is an int64, so any time
 * shown may be out of that range: it reads "unknown", as in the alert messages, rather than
 * one bad value failing the whole command.
 */
const UNKNOWN_TIME = 'unknown';

function showable(at: number): boolean {
  return Number.isFinite(at) && Math.abs(at) <= DATE_LIMIT_MS;
}

/** `2026-11-26 09:02:13Z`: sortable, unambiguous, and narrow enough for a table. */
export function formatTime(at: number): string {
  if (!showable(at)) return UNKNOWN_TIME;
  return new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function isoTime(at: number | undefined): string | null {
  if (at === undefined) return null;
  return showable(at) ? new Date(at).toISOString() : UNKNOWN_TIME;
}

/** `2d 4h`, `3h`, `4m 10s`, `12s`: the largest unit and the next one are enough to read at a glance. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const counts = DISPLAY_UNITS.map(([unit, size]) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    return `${count}${unit}`;
  });
  const largest = counts.findIndex((count) => !count.startsWith('0'));
  if (largest === -1) return '0s';
  return counts
    .slice(largest, largest + 2)
    .filter((count, index) => index === 0 || !count.startsWith('0'))
    .join(' ');
}
