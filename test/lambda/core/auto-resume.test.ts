/**
 * Guarded auto-resume, driven through time one check a minute: who is resumed, when, how often,
 * and what is said; every safety rule of the issue has its test here, and the real run (HTTP,
 * store, overlap) has its own in test/lambda/resume-run.test.ts.
 */
import { type ResumeDecision, resumeOutcome } from '../../../lambda/core/auto-resume.js';
import { decideExporter } from '../../../lambda/core/decide-exporter.js';
import type { MonitorEvent, Observed, Silence, SubjectRecord } from '../../../lambda/core/model.js';
import { observeExporter } from '../../../lambda/core/observe.js';
import type { PauseCause } from '../../../lambda/core/pause-cause.js';
import { type AutoResumePolicy, DEFAULT_AUTO_RESUME, DEFAULT_POLICY } from '../../../lambda/core/policy.js';
import { traceOf } from '../../../local/pause-traces.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

const running: Observed = observeExporter({ kind: 'status', status: { name: 'orders-link', state: 'RUNNING', offset: 10, ts: T0, trace: '' } });
const paused = (cause: PauseCause): Observed =>
  observeExporter({ kind: 'status', status: { name: 'orders-link', state: 'PAUSED', offset: 10, ts: T0, trace: traceOf(cause) } });

interface Replay {
  readonly policy?: AutoResumePolicy | undefined;
  readonly silences?: readonly Silence[];
}

/** One check a minute; every attempt is answered "resumed" (the exporter's state is what `checks` say). */
function replay(checks: readonly Observed[], options: Replay = {}) {
  const policy = 'policy' in options ? options.policy : DEFAULT_AUTO_RESUME;
  const silences = options.silences ?? [];
  let record: SubjectRecord | undefined;
  const events: MonitorEvent[] = [];
  const attemptsAt: { minute: number; attempt: number; dryRun: boolean }[] = [];
  checks.forEach((observed, minute) => {
    const now = T0 + minute * MINUTE;
    const decision: ResumeDecision = decideExporter(record, observed, {}, {
      registryId: 'prod',
      exporterName: 'orders-link',
      now,
      policy: DEFAULT_POLICY,
      silences,
      ...(policy && { autoResume: policy }),
    });
    record = decision.record;
    events.push(...decision.events);
    if (decision.attempt) {
      attemptsAt.push({ minute, attempt: decision.attempt.attempt, dryRun: decision.attempt.dryRun });
      const outcome = resumeOutcome(record, decision.attempt, { kind: decision.attempt.dryRun ? 'would-resume' : 'resumed' }, now);
      record = outcome.record;
      events.push(outcome.event);
    }
  });
  return { record: record!, events, attemptsAt, minutes: attemptsAt.map(({ minute }) => minute) };
}

const times = (count: number, observed: Observed): Observed[] => Array.from({ length: count }, () => observed);

describe('auto-resume: who is resumed', () => {
  test('a transient pause is resumed as soon as it is confirmed (second check), never on the first', () => {
    const { attemptsAt, events } = replay([running, paused('destination-unreachable'), paused('destination-unreachable')]);
    expect(attemptsAt).toEqual([{ minute: 2, attempt: 1, dryRun: false }]);
    const announced = events.filter((event) => event.notify).map((event) => `${event.type}:${event.autoResume?.outcome ?? ''}`);
    expect(announced).toEqual(['state-changed:', 'auto-resumed:resumed']);
    // In the same incident, so in the same thread.
    expect(new Set(events.filter((event) => event.notify).map((event) => event.incidentId)).size).toBe(1);
  });

  test.each(['rate-limited', 'destination-unreachable'] as const)('%s is transient: resumed', (cause) => {
    expect(replay([running, ...times(3, paused(cause))]).minutes).toEqual([2]);
  });

  test.each(['import-mode', 'id-conflict', 'schema-too-large', 'destination-auth', 'unknown'] as const)(
    '%s is never resumed, and its message says the monitor will not',
    (cause) => {
      const { minutes, events } = replay([running, ...times(120, paused(cause))]);
      expect(minutes).toEqual([]);
      const alert = events.find((event) => event.type === 'state-changed' && event.notify);
      expect(alert?.autoResume).toEqual({ outcome: 'refused' });
      expect(alert?.pauseCause).toBe(cause);
    },
  );

  test('an empty trace (paused by a person or a tool) is never resumed', () => {
    const { minutes, events } = replay([running, ...times(120, paused('no-error'))]);
    expect(minutes).toEqual([]);
    expect(events.find((event) => event.notify)?.pauseCause).toBe('no-error');
  });

  test('without the opt-in, nothing is resumed and messages say nothing of auto-resume', () => {
    const { minutes, events } = replay([running, ...times(30, paused('destination-unreachable'))], { policy: undefined });
    expect(minutes).toEqual([]);
    expect(events.some((event) => event.autoResume !== undefined)).toBe(false);
  });

  test('a silence pauses auto-resume for what it mutes; attempts start when it ends', () => {
    const silence: Silence = { registryId: 'prod', exporterName: 'orders-link', until: T0 + 10 * MINUTE, reason: 'maintenance' };
    expect(replay([running, ...times(11, paused('destination-unreachable'))], { silences: [silence] }).minutes).toEqual([10]);
    const registryWide: Silence = { registryId: 'prod', until: T0 + 10 * MINUTE, reason: 'maintenance' };
    expect(replay([running, ...times(11, paused('destination-unreachable'))], { silences: [registryWide] }).minutes).toEqual([10]);
  });
});

describe('auto-resume: how often', () => {
  test('attempts wait n*n + n minutes after the n-th, at most the attempts allowed, then give up once, critically', () => {
    const { minutes, events } = replay([running, ...times(120, paused('destination-unreachable'))]);
    // Confirmed at minute 2; then 2 and 6 minutes of back-off.
    expect(minutes).toEqual([2, 4, 10]);
    const gaveUp = events.filter((event) => event.type === 'auto-resume-gave-up');
    // 12 minutes after the third attempt, the time a fourth would have come.
    expect(gaveUp.map((event) => (event.at - T0) / MINUTE)).toEqual([22]);
    expect(gaveUp[0]).toMatchObject({ severity: 'critical', notify: true, autoResume: { outcome: 'gave-up', attempt: 3, maxAttempts: 3 } });
  });

  test('the back-off is capped, and the attempts allowed are configurable', () => {
    const policy = { ...DEFAULT_AUTO_RESUME, maxAttempts: 6, backoffCapMs: 10 * MINUTE };
    // Waits of 2, 6, 10 (12 capped), 10, 10 minutes.
    expect(replay([running, ...times(120, paused('rate-limited'))], { policy }).minutes).toEqual([2, 4, 10, 20, 30, 40]);
  });

  test('each message says which attempt it is and when the next may come', () => {
    const { events } = replay([running, ...times(12, paused('destination-unreachable'))]);
    const attempts = events.filter((event) => event.type === 'auto-resumed').map((event) => event.autoResume);
    expect(attempts).toEqual([
      { outcome: 'resumed', attempt: 1, maxAttempts: 3, nextAttemptAt: T0 + 4 * MINUTE },
      { outcome: 'resumed', attempt: 2, maxAttempts: 3, nextAttemptAt: T0 + 10 * MINUTE },
      { outcome: 'resumed', attempt: 3, maxAttempts: 3 },
    ]);
  });

  test('an exporter that relapses after recovering continues its count; RUNNING for the reset time starts it again', () => {
    const flap = [running, paused('destination-unreachable'), paused('destination-unreachable'), ...times(5, running)];
    // Relapses 5 minutes after recovering: attempt 2, not 1 again.
    const relapse = replay([...flap, ...times(3, paused('destination-unreachable'))]);
    expect(relapse.attemptsAt.map(({ attempt }) => attempt)).toEqual([1, 2]);
    // RUNNING for an hour (the default reset time) first: the count starts over.
    const afterReset = replay([...flap, ...times(60, running), ...times(3, paused('destination-unreachable'))]);
    expect(afterReset.attemptsAt.map(({ attempt }) => attempt)).toEqual([1, 1]);
  });

  test('a pause whose cause changes is news, and a cause a resume does not fix ends the attempts', () => {
    const { minutes, events } = replay([running, ...times(3, paused('destination-unreachable')), ...times(30, paused('import-mode'))]);
    expect(minutes).toEqual([2]);
    const changed = events.find((event) => event.type === 'error-changed');
    expect(changed).toMatchObject({ pauseCause: 'import-mode', autoResume: { outcome: 'refused' } });
  });
});

describe('auto-resume: dry run', () => {
  test('decides the same attempts and announces "would resume", marked as a dry run', () => {
    const policy = { ...DEFAULT_AUTO_RESUME, dryRun: true };
    const { attemptsAt, events } = replay([running, ...times(30, paused('destination-unreachable'))], { policy });
    expect(attemptsAt.map(({ minute, dryRun }) => [minute, dryRun])).toEqual([[2, true], [4, true], [10, true]]);
    expect(events.filter((event) => event.type === 'auto-resumed').map((event) => event.autoResume?.outcome)).toEqual(['would-resume', 'would-resume', 'would-resume']);
    expect(events.find((event) => event.type === 'auto-resume-gave-up')?.autoResume?.dryRun).toBe(true);
  });
});
