/** Silences: muted events are still recorded in history, marked as muted, and nothing is sent. */
import type { MonitorEvent, Silence } from './model.js';

/** The silence covering this subject now: its own, else its registry's; the one that lasts longer wins. */
export function activeSilence(
  silences: readonly Silence[],
  registryId: string,
  exporterName: string | undefined,
  now: number,
): Silence | undefined {
  return silences
    .filter((s) => s.registryId === registryId && s.until > now)
    .filter((s) => s.exporterName === undefined || s.exporterName === exporterName)
    .sort((a, b) => b.until - a.until)[0];
}

export function applySilences(events: readonly MonitorEvent[], silences: readonly Silence[], now: number): MonitorEvent[] {
  return events.map((event) => {
    const silence = activeSilence(silences, event.registryId, event.exporterName, now);
    return silence ? { ...event, muted: { until: silence.until, reason: silence.reason } } : event;
  });
}

/** Whether an event goes out to people (quiet and muted ones are only recorded). */
export function isDeliverable(event: MonitorEvent): boolean {
  return event.notify && event.muted === undefined;
}
