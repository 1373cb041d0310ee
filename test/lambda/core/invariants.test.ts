/**
 * Guarantee 8: invariants of the core under random sequences of observations and time steps.
 * fast-check shrinks any failing sequence to a minimal one.
 */
import fc from 'fast-check';
import { decide, healthOf, type Observed } from '../../../lambda/core/decide.js';
import { MISSING, type MonitorEvent, type SubjectRecord } from '../../../lambda/core/model.js';
import type { AlertPolicy } from '../../../lambda/core/policy.js';
import { applySilences, isDeliverable } from '../../../lambda/core/silence.js';

const MINUTE = 60_000;
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

function toObserved({ state, error }: { state: string; error: string }): Observed {
  const failing = state === 'PAUSED' && error !== '';
  return { state, signature: failing ? error : '', ...(failing && { rootCause: `RestClientException: ${error}` }) };
}

function simulate(steps: { observed: { state: string; error: string }; minutes: number }[], alertPolicy: AlertPolicy) {
  let record: SubjectRecord | undefined;
  let now = Date.UTC(2026, 0, 1);
  const timeline: { observed: Observed; now: number; before: SubjectRecord | undefined; after: SubjectRecord; events: readonly MonitorEvent[] }[] = [];
  for (const { observed: raw, minutes } of steps) {
    now += minutes * MINUTE;
    const observed = toObserved(raw);
    const decision = decide(record, observed, { registryId: 'prod', exporterName: 'x', now, policy: alertPolicy });
    timeline.push({ observed, now, before: record, after: decision.record, events: decision.events });
    record = decision.record;
  }
  return timeline;
}

const CHANGE_EVENTS = new Set(['state-changed', 'disappeared', 'error-changed', 'recovered', 'reappeared']);

describe('core invariants (property-based)', () => {
  it('announces no change that did not happen', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), policy, (steps, alertPolicy) => {
        for (const { before, observed, events } of simulate(steps, alertPolicy)) {
          for (const event of events) {
            expect(event.state).toBe(observed.state);
            if (CHANGE_EVENTS.has(event.type)) {
              expect(before).toBeDefined();
              expect(before!.state !== observed.state || before!.signature !== observed.signature).toBe(true);
            } else if (event.type === 'reminder' || event.type === 'stuck') {
              expect(before!.state).toBe(observed.state);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('closes every incident at most once, and says nothing more about it afterwards', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), policy, (steps, alertPolicy) => {
        const closed = new Set<string>();
        for (const { events } of simulate(steps, alertPolicy)) {
          for (const event of events.filter((e) => e.incidentId !== undefined)) {
            expect(closed.has(event.incidentId!)).toBe(false);
            if (healthOf(event.state) === 'healthy') closed.add(event.incidentId!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('respects the debounce: an unhealthy change is announced only after that many consecutive checks', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), policy, (steps, alertPolicy) => {
        const timeline = simulate(steps, alertPolicy);
        timeline.forEach(({ events }, index) => {
          for (const event of events.filter((e) => CHANGE_EVENTS.has(e.type) && healthOf(e.state) === 'unhealthy')) {
            const needed = alertPolicy.unhealthyChecks;
            const window = timeline.slice(Math.max(0, index - needed + 1), index + 1);
            expect(window).toHaveLength(needed);
            for (const earlier of window) {
              expect(earlier.observed.state).toBe(event.state);
              expect(earlier.observed.signature).toBe(timeline[index]!.observed.signature);
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps records consistent: an open incident only while not healthy, a pending change below its threshold', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), policy, (steps, alertPolicy) => {
        for (const { after } of simulate(steps, alertPolicy)) {
          if (healthOf(after.state) === 'healthy') expect(after.incident).toBeUndefined();
          if (after.pending) {
            expect(after.pending.state !== after.state || after.pending.signature !== after.signature).toBe(true);
            expect(after.pending.count).toBeLessThan(Math.max(alertPolicy.unhealthyChecks, alertPolicy.recoveryChecks));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never delivers an event while a silence covers it, and records it all the same', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), policy, fc.integer({ min: 0, max: 3000 }), (steps, alertPolicy, silenceMinutes) => {
        const timeline = simulate(steps, alertPolicy);
        const until = Date.UTC(2026, 0, 1) + silenceMinutes * MINUTE;
        for (const { events, now } of timeline) {
          const silenced = applySilences(events, [{ registryId: 'prod', until, reason: 'test' }], now);
          expect(silenced).toHaveLength(events.length);
          silenced.forEach((event) => {
            if (now < until) expect(isDeliverable(event)).toBe(false);
            else expect(isDeliverable(event)).toBe(event.notify);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
