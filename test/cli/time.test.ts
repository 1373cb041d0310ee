import { CliError } from '../../cli/errors.js';
import { formatDuration, formatTime, isoTime, parseTime, parseWindow } from '../../cli/time.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const MINUTE = 60_000;

describe('time expressions', () => {
  it.each([
    ['now', NOW],
    ['30m', NOW - 30 * MINUTE],
    ['12h', NOW - 12 * 60 * MINUTE],
    ['7d', NOW - 7 * 24 * 60 * MINUTE],
    ['2w', NOW - 14 * 24 * 60 * MINUTE],
    ['90s', NOW - 90_000],
    ['1.5h', NOW - 90 * MINUTE],
    ['2026-11-20', Date.UTC(2026, 10, 20)],
    ['2026-11-20T09:30', Date.UTC(2026, 10, 20, 9, 30)],
    ['2026-11-20 09:30:15', Date.UTC(2026, 10, 20, 9, 30, 15)],
    ['2026-11-20T09:30:00Z', Date.UTC(2026, 10, 20, 9, 30)],
    ['2026-11-20T09:30:00.250Z', Date.UTC(2026, 10, 20, 9, 30) + 250],
    ['2026-11-20T11:30+02:00', Date.UTC(2026, 10, 20, 9, 30)],
  ])('reads %s (UTC unless it says otherwise)', (text, expected) => {
    expect(parseTime(text, '--since', NOW, -1)).toBe(expected);
  });

  it('counts durations forward for a silence', () => {
    expect(parseTime('2h', '--until', NOW, 1)).toBe(NOW + 120 * MINUTE);
  });

  it.each(['yesterday', '7 days', '-7d', '7y', '2026-11-31', '26/11/2026', ''])('rejects %j with one line naming the option', (text) => {
    expect(() => parseTime(text, '--since', NOW, -1)).toThrow(CliError);
    expect(() => parseTime(text, '--since', NOW, -1)).toThrow(new RegExp(`^--since: cannot read "${text}" as a time; use a duration like 30m`));
  });

  it.each([['--since', -1], ['--until', 1]] as const)('rejects with one line a duration beyond any time a Date holds (%s)', (option, direction) => {
    expect(() => parseTime('20000000w', option, NOW, direction)).toThrow(new CliError(`${option}: "20000000w" is too far from now; use a duration like 30m, 12h, 7d, 2w, "now", or an ISO time like 2026-11-26T09:00Z`));
  });

  it('wants a window that starts before it ends', () => {
    expect(parseWindow('7d', 'now', NOW)).toEqual({ from: NOW - 7 * 24 * 60 * MINUTE, to: NOW });
    expect(() => parseWindow('1h', '2h', NOW)).toThrow('--since (2026-11-26 11:00:00Z) must be before --until (2026-11-26 10:00:00Z)');
  });
});

describe('durations', () => {
  it.each([
    [0, '0s'],
    [12_000, '12s'],
    [250_000, '4m 10s'],
    [3_600_000, '1h'],
    [3_900_000, '1h 5m'],
    [90 * MINUTE, '1h 30m'],
    [26 * 60 * MINUTE, '1d 2h'],
    [24 * 60 * MINUTE + 5 * MINUTE, '1d'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('times shown', () => {
  it('shows a time in UTC, to the second', () => {
    expect(formatTime(Date.UTC(2026, 10, 26, 9, 2, 13, 500))).toBe('2026-11-26 09:02:13Z');
    expect(isoTime(Date.UTC(2026, 10, 26, 9, 2, 13, 500))).toBe('2026-11-26T09:02:13.500Z');
    expect(isoTime(undefined)).toBeNull();
  });

  // A registry's ts is an int64: most of its range is beyond the ±8.64e15 ms a Date can hold.
  it.each([8.64e15 + 1, -8.64e15 - 1, 9e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Infinity, NaN])('shows %d as "unknown", like the alert messages, without throwing', (at) => {
    expect(formatTime(at)).toBe('unknown');
    expect(isoTime(at)).toBe('unknown');
  });

  it('still shows the first and last times a Date holds', () => {
    expect(formatTime(8.64e15)).toBe('+275760-09-13 00:00:00Z');
    expect(isoTime(-8.64e15)).toBe('-271821-04-20T00:00:00.000Z');
  });
});
