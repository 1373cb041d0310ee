/**
 * The largest distance from the epoch, in milliseconds, that a Date holds (±8.64e15, the year
 * 275760): beyond it a Date is invalid and toISOString throws. A registry's `ts` is an int64, so
 * every time shown to people is checked against it first.
 */
export const DATE_LIMIT_MS = 8.64e15;
