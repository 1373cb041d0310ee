/**
 * An exporter's confirmed state over a window, rebuilt from its history and current record.
 *
 * Every event says "state S holds since T" (`state`, `since`): `since` is when the new state was
 * first observed, before the debounce confirmed it, so it is the better time for availability.
 * Quiet changes (RUNNING -> STARTING, notify false) are in history too, so the events and the
 * current record together give every confirmed change. Blips shorter than the debounce never
 * become a confirmed state and do not count.
 *
 * Before the earliest change known, the state is that change's `previousState`. A first-seen
 * event (no `previousState`), or a record with no event at all, marks when the monitor first saw
 * the exporter: earlier time is "not watched" and counts neither way. An exporter first seen
 * healthy leaves no event, so once it has changed its first sighting is lost; the caller passes
 * the earliest time its registry is known to have been watched, and the previous state counts
 * from there. An exporter created after that (and changed since) still counts from there.
 * `forget` ends the watching: after a `forgotten` event the exporter is no longer watched.
 *
 * While the monitor could not read the registry, whatever an exporter's last known state was, it
 * is not known to hold: `withBlindTime` marks that time `blind`, drawn as unknown and counted
 * neither way.
 */
import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import type { Window } from '../time.js';

export interface Segment {
  readonly from: number;
  readonly to: number;
  /** Undefined while the monitor was not (yet, or any longer) watching the exporter. */
  readonly state?: string;
  /** The monitor could not read the registry: `state` is the last one known, not one seen. */
  readonly blind?: true;
}

/** A stretch of time, [from, to). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

interface Change {
  readonly at: number;
  /** Undefined once the exporter was forgotten. */
  readonly state: string | undefined;
  readonly previousState?: string;
  /** Decision time, to order changes that share a `since`. */
  readonly decidedAt: number;
}

/**
 * `events` are the subject's own, from the window start up to now, in any order; `watchedSince`
 * is the earliest time the monitor is known to have watched the subject's registry.
 */
export function stateTimeline(record: SubjectRecord | undefined, events: readonly MonitorEvent[], window: Window, watchedSince: number): Segment[] {
  const changes: Change[] = [
    ...events.map((event) => ({
      // Forgetting takes effect when it is done, not when the exporter went MISSING.
      at: event.type === 'forgotten' ? event.at : event.since,
      state: event.type === 'forgotten' ? undefined : event.state,
      ...(event.previousState !== undefined && { previousState: event.previousState }),
      decidedAt: event.at,
    })),
    ...(record ? [{ at: record.since, state: record.state, decidedAt: Infinity }] : []),
  ].sort((a, b) => a.at - b.at || a.decidedAt - b.decidedAt);
  if (changes.length === 0) return [];

  const segments: Segment[] = [];
  let from = watchedSince;
  let state = changes[0]!.previousState;
  for (const change of [...changes, { at: Infinity, state: undefined }]) {
    if (change.at > from) segments.push({ from, to: change.at, ...(state !== undefined && { state }) });
    from = change.at;
    state = change.state;
  }
  return clip(segments, window);
}

/** Watched time inside `blind` spans (sorted, not overlapping) becomes blind; unwatched time stays unwatched. */
export function withBlindTime(segments: readonly Segment[], blind: readonly Span[]): Segment[] {
  if (blind.length === 0) return [...segments];
  const split: Segment[] = [];
  for (const segment of segments) {
    if (segment.state === undefined) {
      split.push(segment);
      continue;
    }
    let from = segment.from;
    for (const span of blind) {
      if (span.to <= from || span.from >= segment.to) continue;
      if (span.from > from) split.push({ ...segment, from, to: span.from });
      from = Math.min(span.to, segment.to);
      split.push({ ...segment, from: Math.max(span.from, segment.from), to: from, blind: true });
    }
    if (from < segment.to) split.push({ ...segment, from });
  }
  return split;
}

/** Cut to the window, and join neighbours in the same state (events that did not change it). */
function clip(segments: readonly Segment[], window: Window): Segment[] {
  const clipped: Segment[] = [];
  for (const segment of segments) {
    const from = Math.max(segment.from, window.from);
    const to = Math.min(segment.to, window.to);
    if (to <= from) continue;
    const last = clipped.at(-1);
    if (last && last.state === segment.state && last.to === from) clipped[clipped.length - 1] = { ...last, to };
    else clipped.push({ from, to, ...(segment.state !== undefined && { state: segment.state }) });
  }
  return clipped;
}
