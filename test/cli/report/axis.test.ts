import { axisTicks, MAX_TICKS } from '../../../cli/report/axis.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const START = Date.UTC(2026, 10, 20, 7, 13);

describe('the time axis', () => {
  it.each([
    ['a 10-minute window', 10 * MINUTE, 5],
    ['the 37-minute demo', 37 * MINUTE, 4],
    ['a day', DAY, 4],
    ['a week', 7 * DAY, 4],
    ['a month', 30 * DAY, 4],
    ['a year', 365 * DAY, 6],
  ])('ticks %s on round times, at most MAX_TICKS of them, labels of at most 11 characters', (_, span, count) => {
    const ticks = axisTicks(START, START + span);
    expect(ticks).toHaveLength(count);
    expect(ticks.length).toBeLessThanOrEqual(MAX_TICKS);
    for (const tick of ticks) {
      expect(tick.at).toBeGreaterThanOrEqual(START);
      expect(tick.at).toBeLessThanOrEqual(START + span);
      expect(tick.label.length).toBeLessThanOrEqual(11);
    }
  });

  it('writes the date on the first tick and where the day changes, the time alone elsewhere', () => {
    const ticks = axisTicks(Date.UTC(2026, 10, 20, 14), Date.UTC(2026, 10, 21, 10));
    expect(ticks.map((tick) => tick.label)).toEqual(['11-20 15:00', '18:00', '21:00', '11-21 00:00', '03:00', '06:00', '09:00']);
    // Both ends on midnight: seven days hold eight ticks, one too many for a day apart.
    expect(axisTicks(Date.UTC(2026, 10, 14), Date.UTC(2026, 10, 21)).map((tick) => tick.label)).toEqual(['11-15', '11-17', '11-19', '11-21']);
  });
});
