/**
 * Guarantee 8: invariants of the core under random sequences of observations and time steps,
 * for an exporter and for the registry itself (the monitor's own health). fast-check shrinks any
 * failing sequence to a minimal one.
 */
import fc from 'fast-check';
import { decide, healthOf, type Observed, registryBaseline } from '../../../lambda/core/decide.js';
import { MISSING, type MonitorEvent, type MonitorFailureKind, type Silence, type SubjectRecord } from '../../../lambda/core/model.js';
import { observeRegistry } from '../../../lambda/core/observe.js';
import type { AlertPolicy } from '../../../lambda/core/policy.js';
import { activeSilence, applySilences, isDeliverable } from '../../../lambda/core/silence.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);
const states = ['RUNNING', 'STARTING', 'UNASSIGNED', 'PAUSED', MISSING, 'SOMETHING_NEW'];
const observation = fc.record({
  state: fc.constantFrom(...states),
  error: fc.constantFrom('', 'error code: 42205', 'error code: 40403'),
});
const step = fc.record({ observed: observation, minutes: fc.integer({ min: 1, max: 90 }) });
const policy: fc.Arbitrary<AlertPolicy> = fc.record({
  unhealthyChecks: fc.integer({ min: 1, max: 4 }),
  recoveryChecks: fc.integer({ min: 1, max: 3 }),
  stuckAfterMs: fc.integer({ min: 1, max: 120 }).map((m) => m * MINUTE),
  reminderIntervalMs: fc.constantFrom(0, 30 * MINUTE, 240 * MINUTE),
});

/** What the monitor sees of its own access to a registry on one run: nothing failed, or these failures. */
const failureKinds: MonitorFailureKind[] = ['server-error', 'timeout', 'credentials', 'invalid-response'];
const registryStep = fc.record({
  failures: fc.oneof(fc.constant([] as MonitorFailureKind[]), fc.array(fc.constantFrom(...failureKinds), { minLength: 1, maxLength: 3 })),
  minutes: fc.integer({ min: 1, max: 90 }),
});

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
}

function run(observations: readonly { observed: Observed; minutes: number }[], alertPolicy: AlertPolicy, exporterName: string | undefined, start?: SubjectRecord): Moment[] {
  let record = start;
  let now = START;
  const timeline: Moment[] = [];
  for (const { observed, minutes } of observations) {
    now += minutes * MINUTE;
    const context = { registryId: 'prod', ...(exporterName !== undefined && { exporterName }), now, policy: alertPolicy };
    const decision = decide(record, observed, context);
    // A decision that says "unchanged" must really return the record it was given.
    if (!decision.changed) expect(decision.record).toBe(record);
    timeline.push({ observed, now, before: record, after: decision.record, events: decision.events });
    record = decision.record;
  }
  return timeline;
}

function simulate(steps: { observed: { state: string; error: string }; minutes: number }[], alertPolicy: AlertPolicy): Moment[] {
  return run(steps.map(({ observed, minutes }) => ({ observed: toObserved(observed), minutes })), alertPolicy, 'x');
}

function simulateRegistry(steps: { failures: MonitorFailureKind[]; minutes: number }[], alertPolicy: AlertPolicy): Moment[] {
  const observations = steps.map(({ failures, minutes }) => ({
    observed: observeRegistry(failures.map((kind) => ({ kind, message: `${kind} trouble` }))),
    minutes,
  }));
  return run(observations, alertPolicy, undefined, registryBaseline('prod', START));
}

/** Events that say the state (or the error) changed. */
const CHANGE_EVENTS = new Set(['state-changed', 'disappeared', 'error-changed', 'recovered', 'reappeared', 'monitor-degraded', 'monitor-recovered']);
const RECOVERIES = new Set(['recovered', 'monitor-recovered']);

const checksNeeded = (state: string, alertPolicy: AlertPolicy) =>
  healthOf(state) === 'healthy' ? alertPolicy.recoveryChecks : alertPolicy.unhealthyChecks;

/** Both kinds of subject, so every property holds for exporters and for the registry itself. */
const timelines = fc.oneof(
  fc.tuple(fc.array(step, { maxLength: 60 }), policy).map(([steps, alertPolicy]) => ({ alertPolicy, timeline: simulate(steps, alertPolicy) })),
  fc.tuple(fc.array(registryStep, { maxLength: 60 }), policy).map(([steps, alertPolicy]) => ({ alertPolicy, timeline: simulateRegistry(steps, alertPolicy) })),
);

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

  it('raises "stuck" only after the dwell limit, and reminders only at their interval', () => {
    fc.assert(
      fc.property(timelines, ({ timeline, alertPolicy }) => {
        for (const { before, now, events } of timeline) {
          for (const event of events) {
            if (event.type === 'stuck') {
              expect(healthOf(before!.state)).toBe('transitional');
              expect(before!.incident).toBeUndefined();
              expect(event.since).toBe(before!.since);
              expect(now - before!.since).toBeGreaterThanOrEqual(alertPolicy.stuckAfterMs);
            }
            if (event.type === 'reminder' || event.type === 'monitor-reminder') {
              expect(alertPolicy.reminderIntervalMs).toBeGreaterThan(0);
              expect(now - before!.incident!.lastAlertAt).toBeGreaterThanOrEqual(alertPolicy.reminderIntervalMs);
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

  it('never delivers an event while a silence covers it, delivers it otherwise, and records it all the same', () => {
    const silence: fc.Arbitrary<Silence> = fc.record({
      registryId: fc.constantFrom('prod', 'staging'),
      exporterName: fc.constantFrom(undefined, 'x', 'y'),
      until: fc.integer({ min: 0, max: 3000 }).map((minutes) => START + minutes * MINUTE),
      reason: fc.constant('test'),
    }).map(({ exporterName, ...rest }) => (exporterName === undefined ? rest : { ...rest, exporterName }));
    fc.assert(
      fc.property(timelines, fc.array(silence, { maxLength: 4 }), fc.nat(), fc.constantFrom(undefined, 'x'), ({ timeline }, drawn, pick, exporterName) => {
        // One more silence that ends exactly at a check: from then on it no longer counts.
        const endsAtACheck = timeline.length === 0 ? [] : [{ registryId: 'prod', until: timeline[pick % timeline.length]!.now, reason: 'ends now', ...(exporterName && { exporterName }) }];
        const silences: Silence[] = [...drawn, ...endsAtACheck];
        for (const { events, now } of timeline) {
          const silenced = applySilences(events, silences, now);
          expect(silenced).toHaveLength(events.length);
          silenced.forEach((event, index) => {
            expect({ ...event, muted: undefined }).toEqual({ ...events[index], muted: undefined });
            const covering = silences.filter(
              (s) => s.registryId === event.registryId && s.until > now && (s.exporterName === undefined || s.exporterName === event.exporterName),
            );
            expect(isDeliverable(event)).toBe(event.notify && covering.length === 0);
            if (covering.length > 0) {
              expect(event.muted!.until).toBe(Math.max(...covering.map((s) => s.until)));
              expect(activeSilence(silences, event.registryId, event.exporterName, now)).toBeDefined();
            }
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
