/**
 * The replication rules, driven through time one check a minute: an exporter that says RUNNING
 * but copies nothing (STALLED), one whose destination lacks what it should hold (DRIFTED), and
 * STARTING judged by progress rather than by the clock alone.
 */
import type { Decision } from '../../../lambda/core/decide.js';
import { decideExporter } from '../../../lambda/core/decide-exporter.js';
import type { MonitorEvent, Observed, SubjectRecord } from '../../../lambda/core/model.js';
import { DEFAULT_POLICY, type AlertPolicy } from '../../../lambda/core/policy.js';
import type { DriftReport } from '../../../lambda/core/replication-model.js';
import { PROGRESS_WRITE_INTERVAL_MS, type ReplicationFacts } from '../../../lambda/core/replication.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

const running = (offset: number | null): Observed => ({ state: 'RUNNING', signature: '', offset, ts: T0 });
const starting = (offset: number): Observed => ({ state: 'STARTING', signature: '', offset, ts: null });

/** One check: what the status said, and what else the run learned. */
interface Check {
  readonly observed: Observed;
  readonly facts?: ReplicationFacts;
}

function replay(checks: readonly Check[], policy: Partial<AlertPolicy> = {}, start?: SubjectRecord) {
  let record = start;
  const decisions: Decision[] = [];
  checks.forEach(({ observed, facts = {} }, minute) => {
    const decision = decideExporter(record, observed, facts, {
      registryId: 'prod',
      exporterName: 'orders-link',
      now: T0 + minute * MINUTE,
      policy: { ...DEFAULT_POLICY, ...policy },
    });
    decisions.push(decision);
    record = decision.record;
  });
  const events = decisions.flatMap((decision) => decision.events);
  return { decisions, events, record: record!, announced: events.filter((event) => event.notify) };
}

/** `minutes` checks of `observed`, with the source listed every 5 minutes (fingerprint from `source(minute)`). */
function checks(minutes: number, observed: (minute: number) => Observed, source: (minute: number) => string, from = 0): Check[] {
  return Array.from({ length: minutes }, (_, index) => {
    const minute = from + index;
    const listed = minute % 5 === 0;
    return {
      observed: observed(minute),
      ...(listed && {
        facts: {
          sourceFingerprint: source(minute),
          ...(minute > 0 && { previousSourceCheckAt: T0 + (minute - 5) * MINUTE }),
        },
      }),
    };
  });
}

const at = (event: MonitorEvent) => (event.at - T0) / MINUTE;

describe('stall: RUNNING, offset still, source changed', () => {
  it('announces STALLED once the source changed after the last move and the stall time passed, debounced like any state', () => {
    // Offset frozen at 42 all along; new schemas at the source between minutes 25 and 30.
    const { announced, record } = replay(checks(60, () => running(42), (m) => (m < 30 ? 'v1' : 'v2')));
    expect(announced.map((e) => [e.type, at(e)])).toEqual([['stalled', 46]]);
    const [stalled] = announced;
    expect(stalled).toMatchObject({ state: 'STALLED', previousState: 'RUNNING', severity: 'warning', progress: { offsetMovedAt: T0, sourceChangedAt: T0 + 30 * MINUTE } });
    expect(stalled!.rootCause).toMatch(/offset 42 has not moved since/);
    expect(record.incident).toBeDefined();
  });

  it('stays quiet on an idle source, however long the offset stands still (Burrow: no new data is no stall)', () => {
    const { events } = replay(checks(6 * 60, () => running(42), () => 'v1'));
    expect(events).toEqual([]);
  });

  it('stays quiet when the offset moved after the source changed: the exporter copied it', () => {
    // Source changes between 25 and 30; the offset moves at minute 31 and then stands still for good.
    const { announced } = replay(checks(120, (m) => running(m < 31 ? 42 : 43), (m) => (m < 30 ? 'v1' : 'v2')));
    expect(announced).toEqual([]);
  });

  it('recovers as soon as the offset moves again, saying the exporter copies again', () => {
    const stalledRun = checks(60, () => running(42), (m) => (m < 30 ? 'v1' : 'v2'));
    const moving = checks(3, (m) => running(42 + m), () => 'v2', 60);
    const { announced } = replay([...stalledRun, ...moving]);
    expect(announced.map((e) => [e.type, at(e)])).toEqual([
      ['stalled', 46],
      ['recovered', 60],
    ]);
    expect(announced[1]).toMatchObject({ state: 'RUNNING', previousState: 'STALLED', durationMs: 15 * MINUTE });
  });

  it('reminds about a stall that goes on, in the same incident', () => {
    const { announced } = replay(checks(110, () => running(42), (m) => (m < 30 ? 'v1' : 'v2')), { reminderIntervalMs: 60 * MINUTE });
    expect(announced.map((e) => e.type)).toEqual(['stalled', 'reminder']);
    expect(announced[1]!.incidentId).toBe(announced[0]!.incidentId);
  });

  it('cannot judge an exporter whose status has no offset: it stays RUNNING', () => {
    const { events } = replay(checks(60, () => running(null), (m) => (m < 30 ? 'v1' : 'v2')));
    expect(events).toEqual([]);
  });

  it('writes a moving offset at most every few minutes, so a busy source does not cost a write a run', () => {
    const { decisions } = replay(checks(30, (m) => running(100 + m), () => 'v1'));
    const progressWrites = decisions.filter((decision, minute) => minute > 0 && decision.changed).length;
    expect(progressWrites).toBeLessThanOrEqual(30 / (PROGRESS_WRITE_INTERVAL_MS / MINUTE) + 1);
    expect(progressWrites).toBeGreaterThan(0);
  });

  it('a source listed for the first time is a baseline, not a change', () => {
    const later = checks(60, () => running(42), () => 'v1', 300);
    expect(replay(later).events).toEqual([]);
  });
});

describe('STARTING, judged by progress', () => {
  it('stays quiet for hours while the offset keeps moving (a large first export)', () => {
    const { announced } = replay(Array.from({ length: 180 }, (_, m) => ({ observed: starting(m * 10) })));
    expect(announced).toEqual([]);
  });

  it('is stuck once the offset has not moved for stuckAfterMinutes', () => {
    const observed = (m: number) => starting(m < 20 ? m * 10 : 190);
    const { announced } = replay(Array.from({ length: 90 }, (_, m) => ({ observed: observed(m) })));
    expect(announced.map((e) => [e.type, at(e)])).toEqual([['stuck', 50]]);
  });

  it('is stuck past the hard ceiling even while it moves', () => {
    const { announced } = replay(Array.from({ length: 130 }, (_, m) => ({ observed: starting(m * 10) })), { startingCeilingMs: 2 * 60 * MINUTE });
    expect(announced.map((e) => [e.type, at(e)])).toEqual([['stuck', 120]]);
  });
});

const report = (overrides: Partial<DriftReport>): DriftReport => ({ missingSubjects: [], missingVersions: [], idMismatches: [], compared: 10, ...overrides });
const compared = (r: DriftReport): ReplicationFacts => ({ drift: { destination: 'dr', report: r } });

/** A check every minute, with a comparison every 15 minutes from `reports` (one per comparison). */
function comparisons(reports: readonly DriftReport[]): Check[] {
  return reports.flatMap((r, index) =>
    Array.from({ length: 15 }, (_, minute) => ({ observed: running(100 + index), ...(minute === 0 && { facts: compared(r) }) })),
  );
}

describe('drift: differences at the destination that outlast the grace time', () => {
  it('announces DRIFTED with counts and the first differences once the same difference lasts past the grace time', () => {
    const missing = report({ missingSubjects: ['payments-value'], missingVersions: [{ subject: 'orders-value', source: 7, destination: 5 }] });
    const { announced } = replay([...comparisons([missing, missing]), { observed: running(102) }]);
    expect(announced.map((e) => [e.type, at(e)])).toEqual([['drifted', 16]]);
    expect(announced[0]).toMatchObject({
      state: 'DRIFTED',
      drift: { destination: 'dr', missingSubjects: 1, missingVersions: 2, idMismatches: 0, examples: ['payments-value: missing', 'orders-value: version 7 at the source, 5 at the destination'] },
    });
  });

  it('stays quiet when each difference is gone by the next comparison (a destination a little behind a busy source)', () => {
    const lagging = [1, 2, 3, 4, 5].map((v) => report({ missingVersions: [{ subject: 'orders-value', source: v + 1, destination: v }] }));
    expect(replay(comparisons(lagging)).announced).toEqual([]);
  });

  it('recovers when a comparison finds nothing missing', () => {
    const missing = report({ missingSubjects: ['payments-value'] });
    const { announced } = replay([...comparisons([missing, missing, report({})]), { observed: running(103) }]);
    expect(announced.map((e) => [e.type, at(e)])).toEqual([
      ['drifted', 16],
      ['recovered', 30],
    ]);
    expect(announced[1]).toMatchObject({ previousState: 'DRIFTED', state: 'RUNNING' });
  });

  it('forgets differences seen before a pause: a resumed exporter gets the grace time again', () => {
    const missing = report({ missingSubjects: ['payments-value'] });
    const beforePause = comparisons([missing]).slice(0, 10);
    const pausedChecks: Check[] = Array.from({ length: 3 }, () => ({ observed: { state: 'PAUSED', signature: 'x', offset: 100, ts: null } }));
    const resumed: Check[] = Array.from({ length: 10 }, () => ({ observed: running(100) }));
    const { events } = replay([...beforePause, ...pausedChecks, ...resumed]);
    expect(events.filter((e) => e.state === 'DRIFTED')).toEqual([]);
  });
});

describe('definitions', () => {
  it('records a changed definition in history without a message', () => {
    const definition = { name: 'orders-link', subjects: ['*'], contextType: 'AUTO', context: null, subjectRenameFormat: null };
    const { events } = replay([
      { observed: running(1), facts: { definition } },
      { observed: running(1), facts: { definition } },
      { observed: running(1), facts: { definition: { ...definition, contextType: 'CUSTOM', context: 'dr' } } },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'definition-changed', notify: false, definitionChange: 'contextType "AUTO" -> "CUSTOM"; context null -> "dr"' });
  });
});

describe('stall timing on a busy source', () => {
  it('times the stall from the first change the exporter missed, however often the source changes after it', () => {
    // New schemas every 5 minutes (each listing sees a new digest), offset frozen all along.
    const { announced } = replay(checks(60, () => running(42), (m) => `v${Math.floor(m / 5)}`));
    expect(announced.map((e) => [e.type, at(e)])).toEqual([['stalled', 21]]);
  });
});
