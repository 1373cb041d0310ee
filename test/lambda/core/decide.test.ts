import { decide, type Decision, registryBaseline } from '../../../lambda/core/decide.js';
import type { Observed } from '../../../lambda/core/model.js';
import { MISSING, type Silence, type SubjectRecord } from '../../../lambda/core/model.js';
import { DEFAULT_POLICY, type AlertPolicy } from '../../../lambda/core/policy.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const TRACE_42205 =
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205\n\tat io.confluent.Foo.bar(Foo.java:1)';
const TRACE_40403 =
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Schema 17 not found; error code: 40403\n\tat io.confluent.Foo.bar(Foo.java:1)';

const running: Observed = { state: 'RUNNING', signature: '', offset: 10, ts: T0 };
const starting: Observed = { state: 'STARTING', signature: '', offset: -1, ts: null };
const paused = (trace = TRACE_42205): Observed => ({
  state: 'PAUSED',
  signature: trace.split('\n')[0]!.replace(/\d+/g, '#'),
  rootCause: trace.split('\n')[0]!,
  trace,
});
const missing: Observed = { state: MISSING, signature: '' };

/** Replays one observation per minute through the core, like the scheduled function would. */
function replay(
  observations: readonly Observed[],
  options: { policy?: Partial<AlertPolicy>; start?: SubjectRecord; exporterName?: string | null; silences?: readonly Silence[] } = {},
) {
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  let record = options.start;
  const decisions: Decision[] = [];
  observations.forEach((observed, minute) => {
    const exporterName = options.exporterName === null ? undefined : (options.exporterName ?? 'orders-link');
    const decision = decide(record, observed, {
      registryId: 'prod',
      ...(exporterName !== undefined && { exporterName }),
      now: T0 + minute * MINUTE,
      policy,
      ...(options.silences && { silences: options.silences }),
    });
    decisions.push(decision);
    record = decision.record;
  });
  const events = decisions.flatMap((d) => d.events);
  return { decisions, events, record: record!, types: events.map((e) => e.type) };
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

describe('first sight', () => {
  it('records a new exporter seen RUNNING without announcing anything', () => {
    const { events, record } = replay([running]);
    expect(events).toEqual([]);
    expect(record).toMatchObject({ registryId: 'prod', exporterName: 'orders-link', state: 'RUNNING', since: T0 });
  });

  it('announces a new exporter already PAUSED at once, with its root cause, and opens an incident', () => {
    const { events, record } = replay([paused()]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'first-seen-unhealthy',
      severity: 'critical',
      state: 'PAUSED',
      notify: true,
      rootCause: expect.stringContaining('error code: 42205'),
      incidentId: record.incident!.id,
    });
  });

  it('announces a configured exporter that does not exist', () => {
    expect(replay([missing]).events[0]).toMatchObject({ type: 'first-seen-unhealthy', state: MISSING, severity: 'critical' });
  });
});

describe('debounce', () => {
  it('does not announce a PAUSED blip that lasts one check', () => {
    const { events } = replay([running, paused(), running, running]);
    expect(events).toEqual([]);
  });

  it('announces PAUSED once it holds for two consecutive checks, dated from its first sighting', () => {
    const { events, decisions } = replay([running, paused(), paused(), paused()]);
    expect(events.map((e) => [e.type, e.previousState, e.state])).toEqual([['state-changed', 'RUNNING', 'PAUSED']]);
    expect(events[0]!.since).toBe(T0 + MINUTE);
    expect(decisions[1]!.changed).toBe(true); // the pending count is remembered
    expect(decisions[3]!.changed).toBe(false); // and nothing more is written while it holds
  });

  it('honours a per-registry check count', () => {
    expect(replay([running, paused(), paused()], { policy: { unhealthyChecks: 3 } }).events).toEqual([]);
    expect(replay([running, paused()], { policy: { unhealthyChecks: 1 } }).types).toEqual(['state-changed']);
  });

  it('confirms a disappearance the same way', () => {
    expect(replay([running, missing]).events).toEqual([]);
    const { events } = replay([running, missing, missing]);
    expect(events[0]).toMatchObject({ type: 'disappeared', previousState: 'RUNNING', state: MISSING, severity: 'critical' });
  });

  it('announces an unknown future state as a warning, never dropping it', () => {
    const { events } = replay([running, { state: 'DEGRADED_V2', signature: '' }, { state: 'DEGRADED_V2', signature: '' }]);
    expect(events[0]).toMatchObject({ type: 'state-changed', state: 'DEGRADED_V2', severity: 'warning', notify: true });
  });
});

describe('recovery', () => {
  it('sends one recovered message with the incident duration, in the same incident', () => {
    const { events } = replay([running, paused(), paused(), paused(), running, running]);
    expect(events.map((e) => e.type)).toEqual(['state-changed', 'recovered']);
    const [opened, recovered] = events;
    expect(recovered).toMatchObject({ severity: 'info', previousState: 'PAUSED', state: 'RUNNING', incidentId: opened!.incidentId });
    // Opened at the first PAUSED sighting (minute 1), recovered at minute 4.
    expect(recovered!.durationMs).toBe(3 * MINUTE);
  });

  it('keeps a resume that passes through STARTING inside the incident', () => {
    const { events } = replay([running, paused(), paused(), starting, starting, running]);
    expect(events.map((e) => [e.type, e.state, e.notify])).toEqual([
      ['state-changed', 'PAUSED', true],
      ['state-changed', 'STARTING', true],
      ['recovered', 'RUNNING', true],
    ]);
    expect(new Set(events.map((e) => e.incidentId)).size).toBe(1);
  });

  it('records calm changes (STARTING -> RUNNING with no incident) without sending them', () => {
    const { events } = replay([starting, running]);
    expect(events).toEqual([expect.objectContaining({ type: 'state-changed', notify: false, severity: 'info' })]);
  });

  it('announces that a disappeared exporter is back', () => {
    const { events } = replay([running, missing, missing, running]);
    expect(events.map((e) => e.type)).toEqual(['disappeared', 'reappeared']);
    expect(events[1]).toMatchObject({ severity: 'info', incidentId: events[0]!.incidentId });
  });
});

describe('dwell limits', () => {
  it('raises "stuck" when STARTING lasts longer than the limit, once', () => {
    const { events } = replay(repeat(starting, 40), { policy: { stuckAfterMs: 30 * MINUTE, reminderIntervalMs: 0 } });
    expect(events.map((e) => e.type)).toEqual(['stuck']);
    expect(events[0]).toMatchObject({ at: T0 + 30 * MINUTE, since: T0, severity: 'warning', state: 'STARTING' });
  });

  it('lets a long export finish quietly when the limit is raised', () => {
    expect(replay([...repeat(starting, 50), running], { policy: { stuckAfterMs: 60 * MINUTE } }).events.filter((e) => e.notify)).toEqual([]);
  });

  it('applies to UNASSIGNED too, and a stuck exporter that starts running recovers', () => {
    const unassigned: Observed = { state: 'UNASSIGNED', signature: '' };
    const { types } = replay([...repeat(unassigned, 31), running], { policy: { reminderIntervalMs: 0 } });
    expect(types).toEqual(['stuck', 'recovered']);
  });
});

describe('reminders', () => {
  it('reminds every interval while the exporter stays PAUSED, in the same incident', () => {
    const { events } = replay(repeat(paused(), 130), { start: { registryId: 'prod', exporterName: 'orders-link', state: 'RUNNING', signature: '', since: T0 }, policy: { reminderIntervalMs: 60 * MINUTE } });
    expect(events.map((e) => [e.type, (e.at - T0) / MINUTE])).toEqual([
      ['state-changed', 1],
      ['reminder', 61],
      ['reminder', 121],
    ]);
    expect(new Set(events.map((e) => e.incidentId)).size).toBe(1);
  });

  it('never reminds when the interval is 0', () => {
    expect(replay(repeat(paused(), 600), { policy: { reminderIntervalMs: 0 } }).types).toEqual(['first-seen-unhealthy']);
  });
});

describe('a new error', () => {
  it('announces a PAUSED exporter that now fails with a different error, in the same incident', () => {
    const { events } = replay([paused(TRACE_42205), paused(TRACE_40403), paused(TRACE_40403)]);
    expect(events.map((e) => e.type)).toEqual(['first-seen-unhealthy', 'error-changed']);
    expect(events[1]).toMatchObject({ rootCause: expect.stringContaining('40403'), incidentId: events[0]!.incidentId });
  });

  it('does not treat a repeat of the same error as news', () => {
    expect(replay([paused(), paused(), paused()], { policy: { reminderIntervalMs: 0 } }).types).toEqual(['first-seen-unhealthy']);
  });
});

describe('the registry itself', () => {
  const failing = (kind: 'credentials' | 'timeout'): Observed => ({
    state: 'DEGRADED',
    signature: kind,
    failure: { kind, message: `${kind} trouble` },
    rootCause: `${kind} trouble`,
  });
  const ok: Observed = { state: 'OK', signature: '' };
  const registry = { exporterName: null, start: registryBaseline('prod', T0 - MINUTE) } as const;

  it('raises one monitor-degraded incident after the debounce, with reminders and a recovery', () => {
    const { events } = replay([...repeat(failing('credentials'), 250), ok], registry);
    expect(events.map((e) => e.type)).toEqual(['monitor-degraded', 'monitor-reminder', 'monitor-recovered']);
    expect(events.every((e) => e.exporterName === undefined)).toBe(true);
    expect(events[0]).toMatchObject({ failure: { kind: 'credentials' }, severity: 'warning' });
  });

  it('ignores a single failed run', () => {
    expect(replay([failing('timeout'), ok, failing('timeout'), ok], registry).events).toEqual([]);
  });
});

describe('silences', () => {
  const silencedUntil = (minute: number): Silence[] => [{ registryId: 'prod', exporterName: 'orders-link', until: T0 + minute * MINUTE, reason: 'migration' }];

  it('records muted events without sending them, and keeps the incident going', () => {
    const { events } = replay([running, paused(), paused()], { silences: silencedUntil(60) });
    expect(events).toEqual([expect.objectContaining({ type: 'state-changed', muted: { until: T0 + 60 * MINUTE, reason: 'migration' } })]);
  });

  it('reminds at the first check after the silence ends when the incident was only ever muted, even with reminders off', () => {
    const { events } = replay([running, paused(), ...repeat(paused(), 10)], { silences: silencedUntil(6), policy: { reminderIntervalMs: 0 } });
    expect(events.map((e) => [e.type, (e.at - T0) / MINUTE, e.muted !== undefined])).toEqual([
      ['state-changed', 2, true],
      ['reminder', 6, false],
    ]);
  });

  it('does not remind early when the last message was heard', () => {
    const { events } = replay([running, paused(), paused(), ...repeat(paused(), 10)], { silences: silencedUntil(1) });
    expect(events.map((e) => e.type)).toEqual(['state-changed']);
  });

  it('mutes a recovery inside the silence too', () => {
    const { events } = replay([running, paused(), paused(), running], { silences: silencedUntil(60) });
    expect(events.map((e) => [e.type, e.muted !== undefined])).toEqual([
      ['state-changed', true],
      ['recovered', true],
    ]);
  });
});

describe('records', () => {
  it('changes nothing in steady state, so the store writes nothing', () => {
    const { decisions } = replay([running, { ...running, offset: 11, ts: T0 + 5 }, { ...running, offset: 12 }]);
    expect(decisions.slice(1).map((d) => d.changed)).toEqual([false, false]);
  });

  it('gives every event a stable id derived from what happened', () => {
    const first = replay([running, paused(), paused()]).events;
    const again = replay([running, paused(), paused()]).events;
    expect(first.map((e) => e.id)).toEqual(again.map((e) => e.id));
    expect(first[0]!.id).toMatch(/^evt-[0-9a-f]{24}$/);
  });
});
