/**
 * An event as `history --json` prints it: every field as stored, with its times in ISO 8601
 * like every other command's JSON (durations stay in milliseconds: they are not times).
 */
import type { MonitorEvent } from '../lambda/core/model.js';
import { isoTime } from './time.js';

const at = (ms: number | null | undefined) => (typeof ms === 'number' ? isoTime(ms) : ms);

export function eventJson(event: MonitorEvent): Record<string, unknown> {
  const { progress, muted } = event;
  return {
    ...event,
    at: at(event.at),
    since: at(event.since),
    ...(event.incidentOpenedAt !== undefined && { incidentOpenedAt: at(event.incidentOpenedAt) }),
    ...(event.ts !== undefined && { ts: at(event.ts) }),
    ...(muted && { muted: { ...muted, until: at(muted.until) } }),
    ...(progress && {
      progress: {
        ...(progress.offsetMovedAt !== undefined && { offsetMovedAt: at(progress.offsetMovedAt) }),
        ...(progress.sourceChangedAt !== undefined && { sourceChangedAt: at(progress.sourceChangedAt) }),
      },
    }),
  };
}
