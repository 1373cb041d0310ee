/**
 * Guarantee 4: no false alarm from registry trouble, through whole runs (registry client +
 * decisions + DynamoDB + SNS). Whatever the registry or a proxy in front of it answers, the run
 * completes, and the only exporter events are the ones the registry's own status justifies:
 * an answer the monitor cannot trust is a monitor failure (the registry's record, debounced to
 * "monitor degraded"), never an exporter state. The classification of single answers is tested in
 * test/lambda/registry; here each answer goes through the whole run.
 */
import type { MonitorFailureKind } from '../../lambda/core/model.js';
import { TRACE_EXCERPT_CHARS } from '../../lambda/core/model.js';
import type { RunReport } from '../../lambda/monitor.js';
import { type Fault, SAMPLE_TRACE } from '../../local/simulator.js';
import { attributeOf } from '../support/fake-sns.js';
import type { MonitorRig } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

const LINK_STATUS = '/exporters/link/status';
const json = (value: unknown) => JSON.stringify(value);
/**
 * Cases that do not prove timeouts keep the rig's 1 s request timeout, so a loaded machine is not
 * mistaken for a timeout. The timeout cases give every request 500 ms (many times what an answer
 * takes here), and a stalled answer outlasts that 4 times.
 */
const SHORT_TIMEOUT_MS = 500;
const STALL_MS = 4 * SHORT_TIMEOUT_MS;
const HUGE_TRACE = `${SAMPLE_TRACE}\n${'\tat com.example.Deep.frame(Deep.java:1)\n'.repeat(26_000)}`;

/** A fault path the test can switch off, so the same registry can be seen recovering. */
class Switchable extends RegExp {
  on = true;
  override test(path: string): boolean {
    return this.on && super.test(path);
  }
}

type Outcome =
  /** Retried within the run and read: nothing recorded, nothing said. */
  | { readonly kind: 'retried'; readonly sleeps?: readonly number[] }
  /** A monitor failure that lasted one run: not announced (debounce), then forgotten. */
  | { readonly kind: 'blip'; readonly failure: MonitorFailureKind }
  /** A lasting monitor failure: "monitor degraded" once, after the debounce; "recovered" when it ends. */
  | { readonly kind: 'degraded'; readonly failure: MonitorFailureKind }
  /** The registry's answer is a real status: read as such, announced like any exporter change. */
  | { readonly kind: 'exporter'; readonly state: string | null };

interface Case {
  readonly fault?: Omit<Fault, 'path' | 'times'>;
  /** The registry's request timeout, for the cases that prove timeouts; otherwise the rig's. */
  readonly requestTimeoutMs?: number;
  readonly path?: string;
  /** The fault lasts (until switched off), or hits one request only. */
  readonly lasting: boolean;
  /** Instead of a fault, what the registry itself reports for `link`. */
  readonly status?: { state: string; offset?: number; trace?: string };
  readonly outcome: Outcome;
}

const CASES: readonly (readonly [string, Case])[] = [
  ['500 once', { fault: { status: 500 }, lasting: false, outcome: { kind: 'retried', sleeps: [100] } }],
  ['500 for good', { fault: { status: 500 }, lasting: true, outcome: { kind: 'degraded', failure: 'server-error' } }],
  ['502 with an HTML body once', { fault: { status: 502, contentType: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' }, lasting: false, outcome: { kind: 'retried' } }],
  ['502 with an HTML body for good', { fault: { status: 502, contentType: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' }, lasting: true, outcome: { kind: 'degraded', failure: 'server-error' } }],
  ['503 with Retry-After once', { fault: { status: 503, headers: { 'retry-after': '2' } }, lasting: false, outcome: { kind: 'retried', sleeps: [2000] } }],
  ['503 with Retry-After for good', { fault: { status: 503, headers: { 'retry-after': '2' } }, lasting: true, outcome: { kind: 'degraded', failure: 'server-error' } }],
  [
    '429 with the rate-limit headers once',
    {
      fault: { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-limit': '75', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' } },
      lasting: false,
      outcome: { kind: 'retried', sleeps: [3000] },
    },
  ],
  [
    '429 with the rate-limit headers for good',
    {
      fault: { status: 429, headers: { 'x-ratelimit-limit': '75', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } },
      lasting: true,
      outcome: { kind: 'degraded', failure: 'rate-limited' },
    },
  ],
  ['a timeout once', { fault: { delayMs: STALL_MS }, requestTimeoutMs: SHORT_TIMEOUT_MS, lasting: false, outcome: { kind: 'retried' } }],
  ['a timeout every time', { fault: { delayMs: STALL_MS }, requestTimeoutMs: SHORT_TIMEOUT_MS, lasting: true, outcome: { kind: 'degraded', failure: 'timeout' } }],
  ['a connection reset once', { fault: { reset: true }, lasting: false, outcome: { kind: 'retried' } }],
  ['a connection reset every time', { fault: { reset: true }, lasting: true, outcome: { kind: 'degraded', failure: 'network' } }],
  ['truncated JSON once', { fault: { truncate: true }, lasting: false, outcome: { kind: 'blip', failure: 'invalid-response' } }],
  ['truncated JSON every time', { fault: { truncate: true }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } }],
  [
    'a wrong content type (JSON as text/plain)',
    { fault: { contentType: 'text/plain', body: json({ name: 'link', state: 'PAUSED', trace: SAMPLE_TRACE }) }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } },
  ],
  ['an HTML login page with status 200', { fault: { contentType: 'text/html', body: '<html><form>Sign in</form></html>' }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } }],
  ['{} once', { fault: { body: '{}' }, lasting: false, outcome: { kind: 'blip', failure: 'invalid-response' } }],
  ['{} every time', { fault: { body: '{}' }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } }],
  ['a body whose name differs', { fault: { body: json({ name: 'other', state: 'PAUSED', trace: SAMPLE_TRACE }) }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } }],
  ['a 404 without 40450', { fault: { status: 404, body: json({ error_code: 404, message: 'HTTP 404 Not Found' }) }, lasting: true, outcome: { kind: 'degraded', failure: 'not-found' } }],
  ['a 404 with an HTML body', { fault: { status: 404, contentType: 'text/html', body: '<html>Not Found</html>' }, lasting: true, outcome: { kind: 'degraded', failure: 'not-found' } }],
  ['a 404 without 40450 on the exporter list (wrong base URL)', { path: '/exporters', fault: { status: 404 }, lasting: true, outcome: { kind: 'degraded', failure: 'not-found' } }],
  ['{} as the exporter list', { path: '/exporters', fault: { body: '{}' }, lasting: true, outcome: { kind: 'degraded', failure: 'invalid-response' } }],
  ['401', { fault: { status: 401, body: json({ error_code: 401, message: 'Unauthorized' }) }, lasting: true, outcome: { kind: 'degraded', failure: 'credentials' } }],
  ['403', { fault: { status: 403, body: json({ error_code: 40301, message: 'User is denied operation Read' }) }, lasting: true, outcome: { kind: 'degraded', failure: 'credentials' } }],
  ['401 on the exporter list', { path: '/exporters', fault: { status: 401 }, lasting: true, outcome: { kind: 'degraded', failure: 'credentials' } }],
  ['an empty exporter list (a glitch) while the statuses still answer', { path: '/exporters', fault: { body: '[]' }, lasting: true, outcome: { kind: 'exporter', state: null } }],
  ['a 1 MB trace', { status: { state: 'PAUSED', trace: HUGE_TRACE }, lasting: true, outcome: { kind: 'exporter', state: 'PAUSED' } }],
  ['an unknown state', { status: { state: 'MIGRATING' }, lasting: true, outcome: { kind: 'exporter', state: 'MIGRATING' } }],
  ['a negative offset', { status: { state: 'RUNNING', offset: -1 }, lasting: true, outcome: { kind: 'exporter', state: null } }],
  ['ts missing', { fault: { body: json({ name: 'link', state: 'RUNNING', offset: 5 }) }, lasting: true, outcome: { kind: 'exporter', state: null } }],
  ['ts null', { fault: { body: json({ name: 'link', state: 'RUNNING', offset: 5, ts: null, trace: null }) }, lasting: true, outcome: { kind: 'exporter', state: null } }],
];

function exporterEvents(rig: MonitorRig): string[] {
  return rig.sns.accepted.filter((entry) => attributeOf(entry, 'exporter') !== undefined).map((entry) => `${attributeOf(entry, 'exporter')} ${attributeOf(entry, 'event')} ${attributeOf(entry, 'state')}`);
}

function registryEvents(rig: MonitorRig): string[] {
  return rig.sns.accepted.filter((entry) => attributeOf(entry, 'exporter') === undefined).map((entry) => attributeOf(entry, 'event')!);
}

describe('guarantee 4: no false alarm from registry trouble', () => {
  test.each(CASES)('%s', async (_, scenario) => {
    const rig = await table.startRig(scenario.requestTimeoutMs ? { registry: { requestTimeoutMs: scenario.requestTimeoutMs } } : {});
    for (const name of ['link', 'other', 'third']) rig.simulator.setExporter({ name, state: 'RUNNING', offset: 10, ts: 1701292093264 });
    await rig.run();
    const baseline = await rig.records();

    const path = new Switchable(`^${(scenario.path ?? LINK_STATUS).replace(/\//g, '\\/')}$`);
    if (scenario.fault) rig.simulator.injectFault({ ...scenario.fault, path, times: scenario.lasting ? 1_000_000 : 1 });
    if (scenario.status) rig.simulator.setExporter({ name: 'link', offset: 10, ...scenario.status });

    const reports: RunReport[] = [];
    for (let run = 0; run < 3; run += 1) {
      reports.push(await rig.run());
      if (run === 0) expect(rig.sns.accepted).toEqual([]);
    }
    path.on = false;
    reports.push(await rig.run());

    // No run crashed, and no message said more than the registry did.
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    const records = await rig.records();
    for (const name of ['other', 'third']) expect(records.get(name)!.record).toEqual(baseline.get(name)!.record);
    expect(exporterEvents(rig).filter((event) => event.includes('disappeared'))).toEqual([]);
    for (const entry of rig.sns.accepted) expect(Buffer.byteLength(entry.Message!)).toBeLessThan(256 * 1024);
    const failures = reports.map((report) => report.registries[0]!.failures.map((failure) => failure.kind));

    const { outcome } = scenario;
    switch (outcome.kind) {
      case 'retried':
        expect(failures).toEqual([[], [], [], []]);
        expect(rig.sns.accepted).toEqual([]);
        expect(await rig.monitorRecord()).toBeUndefined();
        if (outcome.sleeps) expect(rig.sleeps).toEqual(outcome.sleeps);
        break;
      case 'blip':
        expect(failures).toEqual([[outcome.failure], [], [], []]);
        expect(rig.sns.accepted).toEqual([]);
        expect((await rig.monitorRecord())?.record).toMatchObject({ state: 'OK' });
        expect((await rig.monitorRecord())?.record.pending).toBeUndefined();
        break;
      case 'degraded':
        expect(failures.slice(0, 3).map((kinds) => kinds[0])).toEqual([outcome.failure, outcome.failure, outcome.failure]);
        expect(exporterEvents(rig)).toEqual([]);
        expect(registryEvents(rig)).toEqual(['monitor-degraded', 'monitor-recovered']);
        expect(records.get('link')!.record).toEqual(baseline.get('link')!.record);
        break;
      case 'exporter':
        expect(failures).toEqual([[], [], [], []]);
        expect(registryEvents(rig)).toEqual([]);
        if (outcome.state === null) {
          expect(rig.sns.accepted).toEqual([]);
          expect(records.get('link')!.record.state).toBe('RUNNING');
        } else {
          // Announced once, after the debounce (second run), as the registry reported it.
          expect(exporterEvents(rig)).toEqual([`link state-changed ${outcome.state}`]);
          const [event] = (await rig.history()).filter((e) => e.notify);
          expect(event!.at).toBe(rig.clock - 2 * 5 * 60_000);
          expect((event!.trace ?? '').length).toBeLessThanOrEqual(TRACE_EXCERPT_CHARS);
        }
        break;
    }
  });

  test('a registry failing on every run, but differently each time, is announced degraded after the debounce, once', async () => {
    const rig = await table.startRig({ registry: { requestTimeoutMs: SHORT_TIMEOUT_MS } });
    rig.simulator.setExporter({ name: 'link', state: 'RUNNING' });
    await rig.run();
    const faults: Omit<Fault, 'path'>[] = [{ status: 503, times: 4 }, { delayMs: STALL_MS, times: 4 }, { reset: true, times: 4 }, { status: 502, times: 4 }];
    const kinds: string[] = [];
    for (const fault of faults) {
      rig.simulator.injectFault({ path: '/exporters', ...fault });
      const report = await rig.run();
      kinds.push(report.registries[0]!.failures[0]!.kind);
    }
    expect(kinds).toEqual(['server-error', 'timeout', 'network', 'server-error']);
    expect(registryEvents(rig)).toEqual(['monitor-degraded']);
    expect(exporterEvents(rig)).toEqual([]);
    const [degraded] = await rig.history();
    // Announced on the second failing run, with the failure of that run.
    expect(degraded).toMatchObject({ type: 'monitor-degraded', failure: { kind: 'timeout' } });
  });
});
