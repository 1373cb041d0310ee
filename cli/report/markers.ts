/**
 * What the report pins on a timeline row besides states: the alerts people were sent, the ones a
 * silence held back, auto-resume attempts, and the end of an incident by `forget`. Each is one
 * history event; quiet changes (never meant to be sent) are not markers.
 */
import type { MonitorEvent, Severity } from '../../lambda/core/model.js';
import { formatTime, type Window } from '../time.js';

export const MARKER_KINDS = ['alert', 'muted', 'resume', 'forgotten'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

export interface Marker {
  readonly at: number;
  readonly kind: MarkerKind;
  readonly severity: Severity;
  /** One line for a tooltip: what happened, when. */
  readonly label: string;
}

/** What each kind of marker means, for the legend. */
export const MARKER_MEANING: Record<MarkerKind, string> = {
  alert: 'alert sent',
  muted: 'alert held back by a silence',
  resume: 'auto-resume attempt',
  forgotten: 'forgotten (incident ended, not recovered)',
};

export function markersOf(events: readonly MonitorEvent[], window: Window): Marker[] {
  return events
    .filter((event) => event.at >= window.from && event.at <= window.to)
    .flatMap((event) => {
      const kind = kindOf(event);
      return kind === undefined ? [] : [{ at: event.at, kind, severity: event.severity, label: `${formatTime(event.at)} ${describe(event, kind)}` }];
    })
    .sort((a, b) => a.at - b.at);
}

function kindOf(event: MonitorEvent): MarkerKind | undefined {
  if (event.type === 'forgotten') return 'forgotten';
  if (event.type === 'auto-resumed' || event.type === 'auto-resume-gave-up') return 'resume';
  if (!event.notify) return undefined;
  return event.muted === undefined ? 'alert' : 'muted';
}

function describe(event: MonitorEvent, kind: MarkerKind): string {
  const change = event.previousState === undefined ? event.state : `${event.previousState} → ${event.state}`;
  if (kind === 'resume') {
    const { attempt, maxAttempts, outcome } = event.autoResume ?? {};
    const count = attempt === undefined ? '' : `attempt ${attempt}${maxAttempts === undefined ? '' : ` of ${maxAttempts}`}`;
    const detail = [count, outcome].filter(Boolean).join(': ');
    return detail === '' ? event.type : `${event.type} (${detail})`;
  }
  if (kind === 'muted') return `${event.type}: ${change}, not sent: silenced until ${formatTime(event.muted!.until)} (${event.muted!.reason})`;
  if (kind === 'forgotten') return 'forgotten: the incident ended without a recovery';
  return `${event.type}: ${change}`;
}
