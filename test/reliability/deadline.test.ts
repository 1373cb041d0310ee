/**
 * Guarantee 3: deadline-aware. Near the end of the invocation the registry client starts no new
 * request (not with less than a request timeout + 1 s left); exporters not read are left out of
 * the reading, so their records are not written at all, and the next run reads them. Each
 * record is one conditional PutItem: a run stores a record whole or not at all.
 */
import { type Deadline, START_MARGIN_MS } from '../../lambda/deadline.js';
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../../local/lambda-context.js';
import { type Fault, RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { duplicates } from '../support/fake-sns.js';
import { freshFunction, withEnvironment } from '../support/fresh-function.js';
import { functionEnvironment } from '../support/handler-harness.js';
import { type MonitorRig, scanTable } from '../support/monitor-rig.js';
import { captureOutput } from '../support/output-capture.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

const NAMES = Array.from({ length: 10 }, (_, index) => `link-${String(index).padStart(2, '0')}`);

/**
 * Ten healthy exporters, recorded; read one at a time so the deadline cuts the run at a known point.
 * Requests get the rig's 1 s timeout: a loaded machine must not turn a read into a timeout and a retry.
 */
async function tenExporters(latencyMs: number, fetchFn?: typeof fetch): Promise<MonitorRig> {
  const rig = await table.startRig({
    registry: { policy: { unhealthyChecks: 1 }, concurrency: 1 },
    simulator: { latencyMs },
    ...(fetchFn && { fetch: fetchFn }),
  });
  for (const name of NAMES) rig.simulator.setExporter({ name, state: 'RUNNING' });
  await rig.run();
  rig.simulator.resetStats();
  return rig;
}

function pauseAll(rig: MonitorRig): void {
  for (const name of NAMES) rig.simulator.setExporter({ name, state: 'PAUSED', trace: SAMPLE_TRACE });
}

/** Every item of this registry's partition, as stored, by sort key. */
async function registryItems(rig: MonitorRig): Promise<Map<string, Record<string, unknown>>> {
  const items = await scanTable(table.dynamo.client);
  return new Map(items.filter(({ item }) => item.pk === `REG#${rig.registryId}` && item.kind === 'exporter').map(({ item }) => [String(item.sk), item]));
}

/** Time runs out once the simulator has received `statusReads` status requests. */
function deadlineAfter(rig: MonitorRig, statusReads: number): Deadline {
  return { timeLeftMs: () => (rig.simulator.stats.byKind.status < statusReads ? 60_000 : 1_000) };
}

describe('guarantee 3: deadline-aware runs', () => {
  test('a run out of time stops starting reads, stores what it read, leaves the rest untouched; the next run completes it', async () => {
    const rig = await tenExporters(20);
    const before = await registryItems(rig);
    pauseAll(rig);

    const cut = await rig.run({ deadline: deadlineAfter(rig, 3) });
    expect(cut.errors).toEqual([]);
    expect(cut.registries[0]).toMatchObject({ exportersChecked: 3, skipped: 7, failures: [], recordsWritten: 3 });
    // No request started after time ran out (the list, then three statuses).
    expect(rig.simulator.stats.requests).toBe(4);
    expect(rig.sns.deliveries()).toEqual(NAMES.slice(0, 3).map((name) => `${name} state-changed`));

    const after = await registryItems(rig);
    for (const [sk, item] of after) {
      const name = String(item.exporterName);
      if (NAMES.slice(0, 3).includes(name)) expect(item).toMatchObject({ state: 'PAUSED', version: Number(before.get(sk)!.version) + 2 });
      else expect(item).toEqual(before.get(sk));
    }
    // Skipping is not a monitor failure: nothing is said about the registry itself.
    expect(await rig.monitorRecord()).toBeUndefined();

    const next = await rig.run();
    expect(next.registries[0]).toMatchObject({ exportersChecked: 10, skipped: 0 });
    expect(rig.sns.deliveries().sort()).toEqual(NAMES.map((name) => `${name} state-changed`));
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
  });

  test('a registry too big for one run still has every exporter checked in turn: the next run starts where the previous one stopped', async () => {
    const rig = await tenExporters(0);
    const statusOrder = () => rig.simulator.recordedRequests.filter((r) => r.kind === 'status').map((r) => r.exporterName);
    await rig.run({ deadline: deadlineAfter(rig, 4) });
    expect(statusOrder()).toEqual(NAMES.slice(0, 4));
    rig.simulator.resetStats();
    await rig.run({ deadline: deadlineAfter(rig, 4) });
    expect(statusOrder()).toEqual(NAMES.slice(4, 8));
    rig.simulator.resetStats();
    await rig.run({ deadline: deadlineAfter(rig, 4) });
    expect(statusOrder()).toEqual([...NAMES.slice(8), ...NAMES.slice(0, 2)]);
  });

  test('with a slow registry and a real clock, no read starts inside the last request timeout + 1 s', async () => {
    // When each request is sent, on the same clock as the deadline.
    const sentAt: number[] = [];
    const rig = await tenExporters(200, (input, init) => {
      sentAt.push(performance.now());
      return fetch(input, init);
    });
    pauseAll(rig);
    sentAt.length = 0;
    // Reads may start during the first second only: ten 200 ms reads one at a time need two.
    const lastStartMs = rig.config.requestTimeoutMs + START_MARGIN_MS;
    const end = performance.now() + lastStartMs + 1_000;
    const deadline: Deadline = { timeLeftMs: () => end - performance.now() };
    const report = (await rig.run({ deadline })).registries[0]!;
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.exportersChecked + report.failures.length).toBeGreaterThan(0);
    // A read that started may still time out on a loaded machine (real clock): it is a failure, never lost.
    expect(report.exportersChecked + report.skipped + report.failures.length).toBe(10);
    expect(sentAt).toHaveLength(1 + report.exportersChecked + report.failures.length);
    // Every request was sent before the last request timeout + 1 s began (the 50 ms cover a GC
    // pause between the client's check and the send).
    for (const at of sentAt) expect(end - at).toBeGreaterThanOrEqual(lastStartMs - 50);
    expect(rig.sns.accepted).toHaveLength(report.exportersChecked);

    await rig.run();
    expect(rig.sns.deliveries().sort()).toEqual(NAMES.map((name) => `${name} state-changed`));
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
  });

  /**
   * The registry asks the run to wait (Retry-After, X-RateLimit-Reset) or fails without a hint
   * (the client's own backoff), near the end of the run's time. Nothing really waits: the run's
   * clock is the sum of the waits the client asked for, and its deadline counts down with it.
   */
  test.each<{ name: string; fault: Omit<Fault, 'path'>; timeLeftMs: number; waits: 'none' | 'some'; readsList: boolean }>([
    { name: 'a 503 asking to retry after 30 s, with 8 s left', fault: { status: 503, headers: { 'retry-after': '30' }, times: 100 }, timeLeftMs: 8_000, waits: 'none', readsList: false },
    {
      name: 'a 503 asking to retry after 3 s, with 4.5 s left (the wait would fit, the retry after it would not)',
      fault: { status: 503, headers: { 'retry-after': '3' }, times: 100 },
      timeLeftMs: 4_500,
      waits: 'none',
      readsList: false,
    },
    {
      name: 'a 429 whose X-RateLimit-Reset is 3 s away, with 4.5 s left',
      fault: { status: 429, headers: { 'x-ratelimit-reset': '3' }, times: 100 },
      timeLeftMs: 4_500,
      waits: 'none',
      readsList: false,
    },
    { name: '503s without a wait hint (the client backs off), with 2.15 s left', fault: { status: 503, times: 100 }, timeLeftMs: 2_150, waits: 'some', readsList: false },
    { name: '503s asking to retry after 2 s, with 8 s left', fault: { status: 503, headers: { 'retry-after': '2' }, times: 100 }, timeLeftMs: 8_000, waits: 'some', readsList: false },
    { name: 'two 503s asking to retry after 2 s, with a minute left', fault: { status: 503, headers: { 'retry-after': '2' }, times: 2 }, timeLeftMs: 60_000, waits: 'some', readsList: true },
  ])('$name: the run never waits past its deadline, nor for a retry it would have no time to send', async ({ fault, timeLeftMs, waits, readsList }) => {
    const requestTimeoutMs = 1_000;
    /** When each request started on the run's clock, and whether it was the list (the read that fails here). */
    const starts: { at: number; list: boolean }[] = [];
    let rig: MonitorRig | undefined;
    /** The run's clock: requests take no time, waits take what the client asked for. */
    const elapsed = () => rig!.sleeps.reduce((sum, ms) => sum + ms, 0);
    rig = await table.startRig({
      registry: { requestTimeoutMs },
      fetch: (input, init) => {
        starts.push({ at: elapsed(), list: new URL(input instanceof Request ? input.url : String(input)).pathname === '/exporters' });
        return fetch(input, init);
      },
    });
    rig.simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    await rig.run();
    const before = await rig.records();
    starts.splice(0);
    expect(rig.sleeps).toEqual([]);

    rig.simulator.injectFault({ path: '/exporters', ...fault });
    const report = await rig.run({ deadline: { timeLeftMs: () => timeLeftMs - elapsed() } });
    expect(report.errors).toEqual([]);
    const waited = [...rig.sleeps];
    if (waits === 'none') expect(waited).toEqual([]);
    else expect(waited.length).toBeGreaterThan(0);
    // Every wait ends with time for one more request, and that request is sent.
    expect(starts.filter(({ list }) => list)).toHaveLength(waited.length + 1);
    for (const { at } of starts) expect(timeLeftMs - at).toBeGreaterThanOrEqual(requestTimeoutMs + START_MARGIN_MS);
    // So the run is done waiting before its deadline, with a request's time to spare.
    expect(elapsed()).toBeLessThanOrEqual(timeLeftMs - requestTimeoutMs - START_MARGIN_MS);
    // What the registry would not answer is a monitor failure; no exporter record changes.
    expect(report.registries[0]!.failures).toHaveLength(readsList ? 0 : 1);
    expect(report.registries[0]!.exportersChecked).toBe(readsList ? 1 : 0);
    expect(await rig.records()).toEqual(before);
  });

  test('a run that had no time to read anything changes nothing, and does not declare an unreadable registry recovered', async () => {
    const rig = await tenExporters(0);
    rig.simulator.injectFault({ path: '/exporters', status: 503, times: 1_000 });
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['(registry) monitor-degraded']);
    const degraded = await rig.monitorRecord();

    // The registry is still down, but this run cannot even start the list request.
    const idle = await rig.run({ deadline: { timeLeftMs: () => 900 } });
    expect(idle.registries[0]).toMatchObject({ requests: 0, exportersChecked: 0, failures: [], recordsWritten: 0 });
    expect(rig.sns.deliveries()).toEqual(['(registry) monitor-degraded']);
    expect(await rig.monitorRecord()).toEqual(degraded);

    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['(registry) monitor-degraded']);
  });

  test('the deployed function keeps a fifth of its remaining time plus 3 s for storing and delivering', async () => {
    const simulator = await RegistrySimulator.start();
    for (const name of NAMES) simulator.setExporter({ name, state: 'RUNNING' });
    const registryId = `deadline-fn-${process.pid}`;
    const restore = withEnvironment(
      functionEnvironment(
        table.dynamo.endpoint,
        JSON.stringify({ registries: [{ id: registryId, baseUrl: simulator.baseUrl, allowInsecureHttp: true, requestTimeoutMs: 1000 }] }),
      ),
    );
    const output = captureOutput();
    const fn = await freshFunction({ secrets: new Map() });
    try {
      // 5 s left: 0.8 x 5 s - 3 s = 1 s to read, less than one request timeout + 1 s: nothing starts.
      await fn.invoke(lambdaContext(5_000));
      expect(simulator.stats.requests).toBe(0);
      const stored = (await scanTable(table.dynamo.client)).filter(({ item }) => item.pk === `REG#${registryId}`);
      expect(stored.map(({ item }) => item.kind)).toEqual(['run']);
      // A full minute: everything is read.
      await fn.invoke(lambdaContext(60_000));
      expect(simulator.stats.byKind.status).toBe(NAMES.length);
    } finally {
      output.restore();
      fn.restore();
      restore();
      await simulator.close();
    }
  });
});
