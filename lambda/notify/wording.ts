/**
 * What a message says about an event, in every channel: the headline, the opening sentence,
 * what the exporter's state means, and the facts, with the times and durations as people read
 * them. Each channel renders the words its own way (see Style); adding a kind of event takes one
 * entry in WORDING.
 */
import { DATE_LIMIT_MS } from '../core/date-limit.js';
import { DRIFTED, type EventType, MISSING, type MonitorEvent, STALLED } from '../core/model.js';
import { isTransient, PAUSE_CAUSE_LABEL } from '../core/pause-cause.js';
import type { MessageContext } from './message-context.js';
import { LINE_MAX, NAME_MAX, REGISTRY_MAX, STATE_MAX } from './untrusted-text.js';

/** A subject or title keeps at least this much of the exporter name, however long the rest is. */
const NAME_MIN = 12;

/** Part of a message: our own words, or a value from the registry that each channel renders its own way. */
export type Segment = string | { readonly value: string; readonly max: number };

const value = (raw: string | number | null | undefined, max = STATE_MAX): Segment => ({
  value: raw === null || raw === undefined ? 'unknown' : String(raw),
  max,
});

/** How one channel shows our own words and the registry's values. */
export interface Style {
  readonly text: (text: string) => string;
  readonly value: (raw: string, max: number) => string;
}

export function render(segments: readonly Segment[], style: Style): string {
  return segments.map((segment) => (typeof segment === 'string' ? style.text(segment) : style.value(segment.value, segment.max))).join('');
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes < 1) return `${seconds}s`;
  if (hours < 1) return `${minutes}m`;
  if (days < 2) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

export function isoTime(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT_MS ? new Date(ms).toISOString() : 'unknown';
}

function offsetText(offset: number | null | undefined): string {
  if (offset === null || offset === undefined) return 'unknown';
  return offset === -1 ? '-1 (nothing exported yet)' : String(offset);
}

/** How long the incident lasted, for recoveries. */
function incidentDuration(event: MonitorEvent): number | undefined {
  if (event.durationMs !== undefined) return event.durationMs;
  return event.incidentOpenedAt === undefined ? undefined : event.at - event.incidentOpenedAt;
}

export interface Wording {
  /** Subject and title around the exporter name, the one part shortened to fit. */
  readonly lead: readonly Segment[];
  readonly tail: readonly Segment[];
  /** The sentence that opens the email and the chat message. */
  readonly sentence: readonly Segment[];
  /** Events about an exporter explain its state; the monitor's own events advise in their next steps instead. */
  readonly about: 'exporter' | 'registry';
  /** A recovery's incident fact says how long the incident lasted, other events' when it opened. */
  readonly recovery: boolean;
  /**
   * A reminder: a few lines that point back to the incident's first message, which has the
   * explanation, the facts, the trace and the steps; a reminder repeats none of them.
   */
  readonly reminder: boolean;
}

/** The pieces of an event that the wording of every kind draws on. */
interface Words {
  /** `Exporter NAME on registry ID`. */
  readonly exporter: readonly Segment[];
  readonly registry: Segment;
  readonly state: Segment;
  readonly previous: Segment;
  /** How long the current state has held. */
  readonly held: string;
  /** How long the offset has not moved (the state's time when the move is not known). */
  readonly still: string;
  /** ` after 42m`: how long the incident lasted, for recoveries; empty when that is not known. */
  readonly after: string;
  /** What kind of failure keeps the monitor from reading the registry. */
  readonly failureKind: Segment;
  /** ` (kind): message`, the failure as the monitor's sentences end. */
  readonly problem: readonly Segment[];
  /** ` (attempt 1 of 3)`, for auto-resume events. */
  readonly attempt: string;
  /** `3 attempts`, for giving up. */
  readonly attemptsMade: string;
  /** What comes after an auto-resume attempt, one sentence. */
  readonly afterAttempt: readonly Segment[];
  readonly outcome: NonNullable<MonitorEvent['autoResume']>['outcome'] | undefined;
}

/** A kind's own words; a headline part it does not name is empty, and an event is no recovery unless it says so. */
type KindWording = Pick<Wording, 'sentence'> & Partial<Pick<Wording, 'lead' | 'tail' | 'recovery' | 'reminder'>>;

const wordingAbout =
  (about: Wording['about']) =>
  ({ lead = [], tail = [], recovery = false, reminder = false, sentence }: KindWording): Wording => ({ lead, tail, sentence, about, recovery, reminder });
const aboutExporter = wordingAbout('exporter');
const aboutRegistry = wordingAbout('registry');

/** The words for each kind of event: TypeScript asks for an entry when a kind is added. */
const WORDING: Readonly<Record<EventType, (words: Words) => Wording>> = {
  'state-changed': ({ exporter, previous, state }) =>
    aboutExporter({ tail: [' ', previous, ' -> ', state], sentence: [...exporter, ' went from ', previous, ' to ', state, '.'] }),
  'first-seen-unhealthy': ({ exporter, state }) =>
    aboutExporter({ tail: [' is ', state, ' (first check)'], sentence: [...exporter, ' was ', state, ' when the monitor first checked it.'] }),
  disappeared: ({ exporter, previous }) =>
    aboutExporter({
      tail: [' disappeared'],
      sentence: [...exporter, ' no longer exists (it was ', previous, '): the registry answers 404 with error code 40450.'],
    }),
  reappeared: ({ exporter, state }) => aboutExporter({ tail: [' reappeared as ', state], sentence: [...exporter, ' exists again, in state ', state, '.'] }),
  'error-changed': ({ exporter, state }) =>
    aboutExporter({ tail: [' ', state, ' with a new error'], sentence: [...exporter, ' is still ', state, ' but now fails with a different error.'] }),
  stuck: ({ exporter, state, held }) =>
    aboutExporter({
      tail: [' stuck in ', state, ` for ${held}`],
      sentence: [...exporter, ' has been ', state, ` for ${held}, longer than the alert policy allows.`],
    }),
  stalled: ({ exporter, still }) =>
    aboutExporter({
      tail: [' stalled: RUNNING but not copying'],
      sentence: [...exporter, ` says RUNNING, but its offset has not moved for ${still} although new schemas were registered at the source since.`],
    }),
  drifted: ({ exporter }) =>
    aboutExporter({
      tail: [' drifted: schemas missing at the destination'],
      sentence: [...exporter, ' says RUNNING, but subjects or versions it should have copied are still missing at the destination.'],
    }),
  // Recorded in history only (never sent); worded for the CLI.
  'definition-changed': ({ exporter }) =>
    aboutExporter({ tail: [' definition changed'], sentence: [...exporter, ' was redefined: what it copies, or where it puts it, changed.'] }),
  'auto-resumed': (words) => autoResumeWording(words),
  'auto-resume-gave-up': ({ exporter, attemptsMade }) =>
    aboutExporter({
      tail: [` auto-resume gave up after ${attemptsMade}`],
      sentence: ['The monitor gave up resuming ', ...exporter.slice(1), ` after ${attemptsMade}: it is still PAUSED. A person must look.`],
    }),
  reminder: ({ exporter, state, held }) =>
    aboutExporter({ lead: ['reminder: '], tail: [' ', state, ` for ${held}`], sentence: [...exporter, ' is still ', state, `, for ${held} now.`], reminder: true }),
  recovered: ({ exporter, after, previous }) =>
    aboutExporter({ tail: [` recovered${after}`], sentence: [...exporter, ...recoverySentence(previous, after)], recovery: true }),
  'monitor-degraded': ({ registry, failureKind, problem }) =>
    aboutRegistry({ lead: ['monitor cannot read registry (', failureKind, ')'], sentence: ['The monitor cannot read registry ', registry, ...problem] }),
  'monitor-reminder': ({ registry, failureKind, held }) =>
    aboutRegistry({
      lead: [`reminder: monitor cannot read registry for ${held} (`, failureKind, ')'],
      sentence: ['The monitor still cannot read registry ', registry, `, for ${held} now (`, failureKind, ').'],
      reminder: true,
    }),
  'monitor-recovered': ({ registry, after }) =>
    aboutRegistry({ lead: [`monitor recovered${after}`], sentence: ['The monitor can read registry ', registry, ` again${after}.`], recovery: true }),
  // Recorded in history only (never sent); worded for the CLI and anyone reading the table.
  forgotten: ({ exporter }) =>
    aboutExporter({ tail: [' forgotten'], sentence: [...exporter, ' was forgotten by an operator: its record is gone and its incident ends.'] }),
};

/** An attempt and its outcome; `outcome` is known from the event (see wording()). */
function autoResumeWording({ exporter, attempt, afterAttempt, outcome }: Words): Wording {
  const name = exporter.slice(1);
  switch (outcome) {
    case 'already-running':
      return aboutExporter({ tail: [` was already running${attempt}`], sentence: [...exporter, ` was already running when the monitor resumed it${attempt}: someone resumed it first.`] });
    case 'failed':
      return aboutExporter({ tail: [` auto-resume failed${attempt}`], sentence: ['The monitor could not resume ', ...name, `${attempt}: `, ...afterAttempt] });
    case 'would-resume':
      return aboutExporter({ tail: [` would be resumed${attempt} (dry run)`], sentence: ['Dry run: the monitor would have resumed ', ...name, `${attempt}; nothing was sent to the registry. `, ...afterAttempt] });
    default:
      return aboutExporter({ tail: [` resumed automatically${attempt}`], sentence: ['The monitor resumed ', ...name, ` automatically${attempt}. `, ...afterAttempt] });
  }
}

/** The failure of an attempt, then when the next one may come. */
function afterAttemptWords(event: MonitorEvent): Segment[] {
  const details = event.autoResume;
  const failed: Segment[] = details?.outcome === 'failed' ? [value(details.reason, LINE_MAX), '. '] : [];
  const next = details?.nextAttemptAt === undefined
    ? 'That was the last attempt: if it pauses again, a person must look.'
    : `If it pauses again, the next attempt comes no sooner than ${isoTime(details.nextAttemptAt)}.`;
  return [...failed, next];
}

/** A derived condition ends differently from a registry state: the exporter copies again. */
function recoverySentence(previous: Segment, after: string): Segment[] {
  const was = typeof previous === 'string' ? previous : previous.value;
  if (was === STALLED) return [` copies again${after}: its offset moves.`];
  if (was === DRIFTED) return [` has caught up${after}: the destination holds what the source holds.`];
  return [` is RUNNING again${after}.`];
}

export function wording(event: MonitorEvent): Wording {
  const registry = value(event.registryId, REGISTRY_MAX);
  const lasted = incidentDuration(event);
  const failureKind = value(event.failure?.kind);
  return WORDING[event.type]({
    exporter: ['Exporter ', value(event.exporterName, NAME_MAX), ' on registry ', registry],
    registry,
    state: value(event.state),
    previous: value(event.previousState),
    held: formatDuration(event.at - event.since),
    still: formatDuration(event.at - (event.progress?.offsetMovedAt ?? event.since)),
    after: lasted === undefined ? '' : ` after ${formatDuration(lasted)}`,
    failureKind,
    problem: [' (', failureKind, '): ', value(event.failure?.message, LINE_MAX)],
    attempt: event.autoResume?.attempt === undefined ? '' : ` (attempt ${event.autoResume.attempt} of ${event.autoResume.maxAttempts ?? '?'})`,
    attemptsMade: `${event.autoResume?.attempt ?? 0} attempt${event.autoResume?.attempt === 1 ? '' : 's'}`,
    afterAttempt: afterAttemptWords(event),
    outcome: event.autoResume?.outcome,
  });
}

/** `[registry] lead NAME tail`: the exporter name takes whatever room the rest leaves. */
export function headline(event: MonitorEvent, style: Style, max: number): string {
  const { lead, tail } = wording(event);
  const before = render(['[', value(event.registryId, REGISTRY_MAX), '] ', ...lead], style);
  const after = render(tail, style);
  if (event.exporterName === undefined) return `${before}${after}`;
  return `${before}${style.value(event.exporterName, Math.max(NAME_MIN, max - before.length - after.length))}${after}`;
}

const STATE_MEANING: Readonly<Record<string, string>> = {
  RUNNING: 'RUNNING: the exporter copies new schemas to the destination registry.',
  PAUSED:
    'PAUSED: the exporter copies nothing until someone resumes it. The registry pauses an exporter whose export fails, so the error below is usually why.',
  STARTING: 'STARTING: the exporter copies the existing schemas before it runs; a large export can take about an hour.',
  UNASSIGNED: 'UNASSIGNED: no registry node runs the exporter yet.',
  [MISSING]: 'MISSING: the registry answers 404 with error code 40450: the exporter was deleted, or never existed under this name.',
  [STALLED]:
    'STALLED: the registry says RUNNING, but the exporter copies nothing: its offset has not moved since new schemas were registered at the source. The monitor derives this; the registry does not report it.',
  [DRIFTED]:
    'DRIFTED: the registry says RUNNING, but subjects or versions in the exporter\'s scope have been missing at the destination for longer than the grace time (a rename format or context that does not match, an id conflict, a subject not in IMPORT mode). The monitor derives this by comparing both registries.',
};

/** What the new state means for people who do not know exporters; nothing for monitor events (their advice is a next step). */
export function meaning(event: MonitorEvent): string | undefined {
  // An attempt's message is about the attempt: the state it was made in is no news; a reminder's first message explained it.
  const { about, reminder } = wording(event);
  if (about === 'registry' || reminder || event.type === 'auto-resumed') return undefined;
  // The state is the registry's text: "constructor" or "toString" must not reach Object's prototype.
  return Object.hasOwn(STATE_MEANING, event.state)
    ? STATE_MEANING[event.state]
    : 'The registry reported a state this monitor does not know (the list is open-ended); it counts as unhealthy.';
}

export type Fact = readonly [label: string, value: readonly Segment[]];

export function facts(event: MonitorEvent, context: MessageContext): Fact[] {
  const { failure } = event;
  const { recovery, reminder } = wording(event);
  const exporterEvent = event.exporterName !== undefined;
  // A missing exporter has no status to show.
  const hasStatus = exporterEvent && event.state !== MISSING;
  const lasted = incidentDuration(event);
  const incidentNote = recovery
    ? lasted === undefined ? '' : `, lasted ${formatDuration(lasted)}`
    : event.incidentOpenedAt === undefined ? '' : `, opened ${isoTime(event.incidentOpenedAt)}`;
  const rootCause: Fact | false = event.rootCause !== undefined && ['Root cause', [value(event.rootCause, LINE_MAX)]];
  const incident: Fact | false = event.incidentId !== undefined && ['Incident', [value(event.incidentId, LINE_MAX), incidentNote]];
  // The cause in one line, and the incident whose first message has the rest.
  if (reminder) return [rootCause, incident].filter((fact): fact is Fact => fact !== false);
  const all: (Fact | false)[] = [
    ['Registry', [value(event.registryId, REGISTRY_MAX), ...(context.registryBaseUrl ? [' (', value(context.registryBaseUrl, LINE_MAX), ')'] : [])]],
    exporterEvent && ['Exporter', [value(event.exporterName, NAME_MAX)]],
    ['State', event.previousState === undefined ? [value(event.state)] : [value(event.previousState), ' -> ', value(event.state)]],
    ['Since', [`${isoTime(event.since)} (for ${formatDuration(event.at - event.since)})`]],
    ['Event time', [isoTime(event.at)]],
    hasStatus && ['Offset', [offsetText(event.offset)]],
    hasStatus && ['Last record (ts)', [isoTime(event.ts)]],
    event.progress?.offsetMovedAt !== undefined && ['Offset moved', [isoTime(event.progress.offsetMovedAt)]],
    event.progress?.sourceChangedAt !== undefined && ['Source changed', [isoTime(event.progress.sourceChangedAt)]],
    event.drift !== undefined && ['Destination', [value(event.drift.destination, REGISTRY_MAX)]],
    event.drift !== undefined && [
      'Missing',
      [`${event.drift.missingSubjects} subject(s), ${event.drift.missingVersions} version(s), ${event.drift.idMismatches} id mismatch(es)`],
    ],
    event.drift !== undefined && event.drift.examples.length > 0 && ['Differences', [value(event.drift.examples.join('; '), LINE_MAX)]],
    event.definitionChange !== undefined && ['Definition change', [value(event.definitionChange, LINE_MAX)]],
    event.pauseCause !== undefined && ['Cause', [PAUSE_CAUSE_LABEL[event.pauseCause], isTransient(event.pauseCause) ? ' (transient: a resume can fix it)' : '']],
    event.autoResume?.outcome === 'refused' && ['Auto-resume', [refusal(event)]],
    event.autoResume?.dryRun === true && ['Auto-resume', ['dry run: the registry is never called']],
    rootCause,
    event.errorCode !== undefined && ['Error code', [String(event.errorCode)]],
    failure !== undefined && [
      'Failure',
      [
        value(failure.kind),
        failure.httpStatus === undefined ? '' : `, HTTP ${failure.httpStatus}`,
        failure.errorCode === undefined ? '' : `, error code ${failure.errorCode}`,
      ],
    ],
    failure?.requestId !== undefined && ['Request id', [value(failure.requestId, LINE_MAX)]],
    failure?.path !== undefined && ['Request path', [value(failure.path, LINE_MAX)]],
    incident,
  ];
  return all.filter((fact): fact is Fact => fact !== false);
}

/** Why the monitor leaves this PAUSED exporter to people, although the registry opted in to auto-resume. */
function refusal(event: MonitorEvent): string {
  if (event.pauseCause === 'no-error') return 'not resumed automatically: nothing failed, so a person or a tool paused it on purpose';
  return 'not resumed automatically: a resume does not fix this cause; the next steps say what does';
}
