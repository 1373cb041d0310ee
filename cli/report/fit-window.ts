/**
 * The report's default window: the last 7 days, but no earlier than the first thing the monitor
 * knows of, so a demo of a quarter of an hour fills the page instead of a few pixels of a week.
 */
import type { Window } from '../time.js';

/** Shorter than this, a timeline shows too few ticks to read: the window widens backwards. */
export const MIN_FITTED_WINDOW_MS = 10 * 60_000;

/** `known` are the records and events read for `window`; each `since` is a time the monitor saw something. */
export function fitWindow(window: Window, known: readonly { readonly since: number }[]): Window {
  const earliest = known.reduce((min, subject) => Math.min(min, subject.since), Infinity);
  if (!Number.isFinite(earliest)) return window;
  const from = Math.max(window.from, Math.min(earliest, window.to - MIN_FITTED_WINDOW_MS));
  return { from, to: window.to };
}
