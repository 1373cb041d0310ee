/**
 * Guarantee 8: invariants of the core under random sequences of observations and time steps,
 * for an exporter and for the registry itself (the monitor's own health), with random silences
 * passed to `decide()` as a run passes the registry's silences. fast-check shrinks any failing
 * sequence to a minimal one.
 */
import fc from 'fast-check';
import { decide, healthOf, registryBaseline } from '../../../lambda/core/decide.js';
import { MISSING, type MonitorEvent, type Observed, type MonitorFailureKind, type Silence, type SubjectRecord } from '../../../lambda/core/model.js';
import { observeRegistry } from '../../../lambda/core/observe.js';
import { type AlertPolicy, DEFAULT_POLICY } from '../../../lambda/core/policy.js';
import { isDeliverable } from '../../../lambda/core/silence.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);
const states = ['RUNNING', 'STARTING', 'UNASSIGNED', 'PAUSED', MISSING, 'SOMETHING_NEW'];
const observation = fc.record({
  state: fc.constantFrom(...states),
  error: fc.constantFrom('', 'error code: 42205', 'error code: 40403'),
});
const step = fc.record({ observed: observation, minutes: fc.integer({ min: 1, max: 90 }) });
/** Each drawn observation held for a few checks, as exporters mostly stay put: reminders, dwell limits and silences ending on a steady state. */
const steadySteps = fc
  .array(fc.record({ observed: observation, minutes: fc.integer({ min: 1, max: 90 }), checks: fc.integer({ min: 1, max: 5 }) }), { maxLength: 15 })
  .map((runs) => runs.flatMap(({ checks, ...held }) => Array.from({ length: checks }, () => held)));
const policy: fc.Arbitrary<AlertPolicy> = fc
  .record({
    unhealthyChecks: fc.integer({ min: 1, max: 4 }),
    recoveryChecks: fc.integer({ min: 1, max: 3 }),
    stuckAfterMs: fc.integer({ min: 1, max: 120 }).map((m) => m * MINUTE),
    stallAfterMs: fc.integer({ min: 1, max: 60 }).map((m) => m * MINUTE),
    driftGraceMs: fc.integer({ min: 0, max: 60 }).map((m) => m * MINUTE),
    reminderIntervalMs: fc.constantFrom(0, 30 * MINUTE, 240 * MINUTE),
  })
  .map((drawn) => ({ ...DEFAULT_POLICY, ...drawn }));

/** What the monitor sees of its own access to a registry on one run: nothing failed, or these failures. */
const failureKinds: MonitorFailureKind[] = ['server-error', 'timeout', 'credentials', 'invalid-response'];
const registryStep = fc.record({
  failures: fc.oneof(fc.constant([] as MonitorFailureKind[]), fc.array(fc.constantFrom(...failureKinds), { minLength: 1, maxLength: 3 })),
  minutes: fc.integer({ min: 1, max: 90 }),
});
const steadyRegistrySteps = fc
  .array(fc.tuple(registryStep, fc.integer({ min: 1, max: 5 })), { maxLength: 15 })
  .map((runs) => runs.flatMap(([held, checks]) => Array.from({ length: checks }, () => held)));

function toObserved({ state, error }: { state: string; error: string }): Observed {
  const failing = state === 'PAUSED' && error !== '';
  return { state, signature: failing ? error : '', ...(failing && { rootCause: `RestClientException: ${error}` }) };
}

interface Moment {
  readonly observed: Observed;
  readonly now: number;
  readonly before: SubjectRecord | undefined;
  readonly after: SubjectRecord;
  readonly events: readonly MonitorEvent[];
  /** The silences covering this subject at this check, as the test reads them (not the code under test). */
  readonly covering: readonly Silence[];
}

/** Silences of registry `prod` in force for a subject: the registry's own, or the exporter's, until a time strictly later. */
function inForce(silences: readonly Silence[], exporterName: string | undefined, now: number): Silence[] {
  return silences.filter((s) => s.registryId === 'prod' && now < s.until && (s.exporterName === undefined || s.exporterName === exporterName));
}

function run(
  observations: readonly { observed: Observed; minutes: number }[],
  alertPolicy: AlertPolicy,
  exporterName: string | undefined,
  silences: readonly Silence[],
  start?: SubjectRecord,
): Moment[] {
  let record = start;
  let now = START;
  const timeline: Moment[] = [];
  for (const { observed, minutes } of observations) {
    now += minutes * MINUTE;
    const context = { registryId: 'prod', ...(exporterName !== undefined && { exporterName }), now, policy: alertPolicy, silences };
    const decision = decide(record, observed, context);
    // A decision that says "unchanged" must really return the record it was given.
    if (!decision.changed) expect(decision.record).toBe(record);
    timeline.push({ observed, now, before: record, after: decision.record, events: decision.events, covering: inForce(silences, exporterName, now) });
    record = decision.record;
  }
  return timeline;
}

type ExporterSteps = { observed: { state: string; error: string }; minutes: number }[];
type RegistrySteps = { failures: MonitorFailureKind[]; minutes: number }[];

function simulate(steps: ExporterSteps, alertPolicy: AlertPolicy, silences: readonly Silence[] = []): Moment[] {
  return run(steps.map(({ observed, minutes }) => ({ observed: toObserved(observed), minutes })), alertPolicy, 'x', silences);
}

function simulateRegistry(steps: RegistrySteps, alertPolicy: AlertPolicy, silences: readonly Silence[] = []): Moment[] {
  const observations = steps.map(({ failures, minutes }) => ({
    observed: observeRegistry(failures.map((kind) => ({ kind, message: `${kind} trouble` }))),
    minutes,
  }));
  return run(observations, alertPolicy, undefined, silences, registryBaseline('prod', START));
}

/**
 * Silences as a run finds them in the store: the whole registry's or one exporter's (the one
 * checked, or another), of this registry or another, each ending at a pinned time: some before
 * the first check (expired, or lifted by `unsilence`), some after the last, and some exactly at a
 * check (from that check on, it no longer counts).
 */
function silencesFor(checkTimes: readonly number[]): fc.Arbitrary<Silence[]> {
  const lastMinute = ((checkTimes.at(-1) ?? START) - START) / MINUTE;
  const until = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: lastMinute + 120 }).map((minutes) => START + minutes * MINUTE),
    ...(checkTimes.length > 0 ? [fc.constantFrom(...checkTimes)] : []),
  );
  const silence = fc
    .record({
      registryId: fc.constantFrom('prod', 'prod', 'prod', 'staging'),
      exporterName: fc.constantFrom(undefined, 'x', 'x', 'y'),
      until,
      reason: fc.constant('maintenance'),
    })
    .map(({ exporterName, ...rest }): Silence => (exporterName === undefined ? rest : { ...rest, exporterName }));
  return fc.array(silence, { maxLength: 4 });
}

const checkTimesOf = (steps: readonly { minutes: number }[]) => {
  let now = START;
  return steps.map(({ minutes }) => (now += minutes * MINUTE));
};

/** Events that say the state (or the error) changed. */
const CHANGE_EVENTS = new Set(['state-changed', 'disappeared', 'error-changed', 'recovered', 'reappeared', 'monitor-degraded', 'monitor-recovered']);
const RECOVERIES = new Set(['recovered', 'monitor-recovered']);

const checksNeeded = (state: string, alertPolicy: AlertPolicy) =>
  healthOf(state) === 'healthy' ? alertPolicy.recoveryChecks : alertPolicy.unhealthyChecks;

/**
 * Both kinds of subject, so every property holds for exporters and for the registry itself, each
 * decided with random silences (`timeline`) and, for comparison, with none (`loud`).
 */
const exporterTimeline = (steps: fc.Arbitrary<ExporterSteps>) =>
  fc
    .tuple(steps, policy)
    .chain(([drawn, alertPolicy]) => silencesFor(checkTimesOf(drawn)).map((silences) => ({ drawn, alertPolicy, silences })))
    .map(({ drawn, alertPolicy, silences }) => ({ alertPolicy, silences, timeline: simulate(drawn, alertPolicy, silences), loud: simulate(drawn, alertPolicy) }));
const registryTimeline = (steps: fc.Arbitrary<RegistrySteps>) =>
  fc
    .tuple(steps, policy)
    .chain(([drawn, alertPolicy]) => silencesFor(checkTimesOf(drawn)).map((silences) => ({ drawn, alertPolicy, silences })))
    .map(({ drawn, alertPolicy, silences }) => ({
      alertPolicy,
      silences,
      timeline: simulateRegistry(drawn, alertPolicy, silences),
      loud: simulateRegistry(drawn, alertPolicy),
    }));
const timelines = fc.oneof(
  exporterTimeline(fc.array(step, { maxLength: 60 })),
  exporterTimeline(steadySteps),
  registryTimeline(fc.array(registryStep, { maxLength: 60 })),
  registryTimeline(steadyRegistrySteps),
);

const REMINDERS = new Set(['reminder', 'monitor-reminder']);

/** The recorded state holds: same state, and for an unhealthy one the same error. */
function steady(before: SubjectRecord, observed: Observed): boolean {
  return observed.state === before.state && (healthOf(observed.state) !== 'unhealthy' || observed.signature === before.signature);
}

/**
 * For each check, whether the open incident (before the check) is owed a message: the last event
 * about it was muted, so nobody has heard of its latest state.
 */
function owedAt(timeline: readonly Moment[]): boolean[] {
  const lastMuted = new Map<string, boolean>();
  return timeline.map(({ before, events }) => {
    const owed = before?.incident !== undefined && lastMuted.get(before.incident.id) === true;
    for (const event of events) if (event.incidentId !== undefined) lastMuted.set(event.incidentId, event.muted !== undefined);
    return owed;
  });
}

describe('core invariants (property-based)', () => {
  it('announces no change that did not happen', () => {
    fc.assert(
      fc.property(timelines, ({ timeline }) => {
        for (const { before, observed, events } of timeline) {
          for (const event of events) {
            expect(event.state).toBe(observed.state);
            if (event.type === 'first-seen-unhealthy') {
              expect(before).toBeUndefined();
            } else if (CHANGE_EVENTS.has(event.type)) {
              // The state changed, or the error of an unhealthy state did.
              expect(before).toBeDefined();
              expect(before!.state !== observed.state || before!.signature !== observed.signature).toBe(true);
            } else {
              expect(['stuck', 'reminder', 'monitor-reminder']).toContain(event.type);
              expect(before!.state).toBe(observed.state);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('says nothing at all while nothing changes (after the first sight)', () => {
    fc.assert(
      fc.property(observation, fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }), policy, (observed, gaps, alertPolicy) => {
        const timeline = simulate(gaps.map((minutes) => ({ observed, minutes })), alertPolicy);
        for (const { events } of timeline.slice(1)) {
          for (const event of events) expect(['stuck', 'reminder']).toContain(event.type);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives every event its own id, so the outbox (a map by id) never merges two events', () => {
    fc.assert(
      fc.property(timelines, ({ timeline }) => {
        const ids = timeline.flatMap((moment) => moment.events.map((event) => event.id));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 200 },
    );
  });

  it('closes every incident at most once, only an incident that was opened, and says nothing more about it afterwards', () => {
    fc.assert(
      fc.property(timelines, ({ timeline }) => {
        const opened = new Set<string>();
        const closed = new Set<string>();
        for (const { before, events } of timeline) {
          for (const event of events.filter((e) => e.incidentId !== undefined)) {
            expect(closed.has(event.incidentId!)).toBe(false);
            if (before?.incident?.id !== event.incidentId) {
              // A new incident is opened only by an announcement of trouble.
              expect(['first-seen-unhealthy', 'stuck', 'state-changed', 'disappeared', 'monitor-degraded']).toContain(event.type);
              expect(opened.has(event.incidentId!)).toBe(false);
              opened.add(event.incidentId!);
            }
            if (healthOf(event.state) === 'healthy') closed.add(event.incidentId!);
          }
          for (const event of events.filter((e) => RECOVERIES.has(e.type) || (e.type === 'reappeared' && healthOf(e.state) === 'healthy'))) {
            // A recovery closes the incident that was open, and only that one.
            expect(before?.incident).toBeDefined();
            expect(event.incidentId).toBe(before!.incident!.id);
            expect(event.notify).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('respects the debounce: a change is announced only after its number of consecutive checks (recoveries too)', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        timeline.forEach(({ events, before, observed }, index) => {
          for (const event of events.filter((e) => CHANGE_EVENTS.has(e.type))) {
            if (before === undefined) continue;
            const needed = checksNeeded(event.state, alertPolicy);
            const window = timeline.slice(Math.max(0, index - needed + 1), index + 1);
            expect(window).toHaveLength(needed);
            for (const earlier of window) expect(earlier.observed.state).toBe(event.state);
            // A new error in the same state must itself have held that long.
            if (before.state === observed.state) for (const earlier of window) expect(earlier.observed.signature).toBe(observed.signature);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('loses no lasting change: a state seen on its number of consecutive checks is the recorded state, whatever its errors', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        timeline.forEach(({ after, observed }, index) => {
          const needed = checksNeeded(observed.state, alertPolicy);
          const window = timeline.slice(Math.max(0, index - needed + 1), index + 1);
          if (window.length === needed && window.every((moment) => moment.observed.state === observed.state)) {
            expect(after.state).toBe(observed.state);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('raises "stuck" only after the dwell limit, and reminders only at their interval or once a silence that muted the incident has ended', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        const owed = owedAt(timeline);
        for (const [index, { before, now, events, covering }] of timeline.entries()) {
          for (const event of events) {
            if (event.type === 'stuck') {
              expect(healthOf(before!.state)).toBe('transitional');
              expect(before!.incident).toBeUndefined();
              expect(event.since).toBe(before!.since);
              expect(now - before!.since).toBeGreaterThanOrEqual(alertPolicy.stuckAfterMs);
            }
            if (REMINDERS.has(event.type)) {
              expect(before!.incident).toBeDefined();
              const intervalDue = alertPolicy.reminderIntervalMs > 0 && now - before!.incident!.lastAlertAt >= alertPolicy.reminderIntervalMs;
              // The other reason: the incident's last message was muted and no silence covers it any more.
              const silenceEnded = owed[index]! && covering.length === 0;
              expect({ intervalDue, silenceEnded }).not.toEqual({ intervalDue: false, silenceEnded: false });
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps records consistent: an open incident exactly while unhealthy (or stuck), a pending change below its threshold', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        for (const { after, now } of timeline) {
          const health = healthOf(after.state);
          if (health === 'healthy') expect(after.incident).toBeUndefined();
          // A confirmed unhealthy state always has its incident (announced, so it can be closed).
          if (health === 'unhealthy') expect(after.incident).toBeDefined();
          expect(after.since).toBeLessThanOrEqual(now);
          if (after.incident) expect(after.incident.openedAt).toBeLessThanOrEqual(after.incident.lastAlertAt);
          if (after.pending) {
            expect(after.pending.state !== after.state || after.pending.signature !== after.signature).toBe(true);
            expect(after.pending.count).toBeLessThan(checksNeeded(after.pending.state, alertPolicy));
            expect(after.pending.since).toBeLessThanOrEqual(now);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never sends anything while a silence covers it, sends what is meant for people otherwise, and records it all the same', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, loud }) => {
        for (const { events, covering } of timeline) {
          for (const event of events) {
            if (covering.length > 0) {
              // Muted, with the end of the longest silence covering it: recorded, not sent.
              expect(event.muted?.until).toBe(Math.max(...covering.map((s) => s.until)));
              expect(isDeliverable(event)).toBe(false);
            } else {
              expect(event.muted).toBeUndefined();
              expect(isDeliverable(event)).toBe(event.notify);
            }
          }
        }
        // A silence changes what is sent, not what is decided: every change is still recorded,
        // the same as without silences (only reminders may differ: one is owed when a silence ends).
        const changes = (moments: readonly Moment[]) =>
          moments.map(({ events }) => events.filter((e) => !REMINDERS.has(e.type)).map(({ muted: _muted, ...event }) => event));
        expect(changes(timeline)).toEqual(changes(loud));
      }),
      { numRuns: 300 },
    );
  });

  it('reminds nobody while muted, and once the silence ends, reminds at the first check of an incident whose last message was muted', () => {
    let remindedAfterSilence = 0;
    let remindersMuted = 0;
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        const owed = owedAt(timeline);
        timeline.forEach(({ before, observed, now, events, covering }, index) => {
          for (const event of events.filter((e) => REMINDERS.has(e.type))) {
            if (covering.length === 0) continue;
            // A reminder inside a silence is only the regular one, and it is muted like the rest.
            remindersMuted += 1;
            expect(isDeliverable(event)).toBe(false);
            expect(alertPolicy.reminderIntervalMs).toBeGreaterThan(0);
            expect(now - before!.incident!.lastAlertAt).toBeGreaterThanOrEqual(alertPolicy.reminderIntervalMs);
          }
          if (owed[index] && covering.length === 0 && steady(before!, observed)) {
            // "If an incident's latest message was muted and it is still open when the silence ends,
            // a reminder goes out at the next check" (one that sees the incident's state unchanged).
            remindedAfterSilence += 1;
            const reminder = events.find((e) => REMINDERS.has(e.type) && e.incidentId === before!.incident!.id);
            expect(reminder).toBeDefined();
            expect(isDeliverable(reminder!)).toBe(true);
          }
        });
      }),
      { numRuns: 400 },
    );
    // The random timelines really did reach both situations (each typically 20 to 70 times).
    expect(remindedAfterSilence).toBeGreaterThan(2);
    expect(remindersMuted).toBeGreaterThan(5);
  });
});
