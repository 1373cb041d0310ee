/**
 * Guarantees 1 and 3 when there is more to do than one invocation can: a backlog of alerts drains
 * across invocations that run out of time without sending any of it twice, an outbox a finished
 * run could not deliver is retried by the very next run, and a registry with more exporters than
 * one run can read has every one of them read in turn.
 */
import type { Deadline } from '../../lambda/deadline.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import { SAMPLE_TRACE } from '../../local/simulator.js';
import { acceptAll, duplicates, throwing } from '../support/fake-sns.js';
import { type MonitorRig, RUN_INTERVAL_MS, scanTable } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

const TIMED_OUT = 'Task timed out after 20.00 seconds';

/**
 * One invocation's clock, moved on only by SNS requests (each takes `publishMs`). Past its end
 * the function is gone: every later step of the run fails, as it would in Lambda.
 */
class Invocation {
  private usedMs = 0;
  private requests = 0;

  constructor(
    private readonly lengthMs: number,
    private readonly publishMs: number,
    /** The function is killed (out of memory, say) right after SNS answers this many requests. */
    private readonly killedAfterRequests = Number.POSITIVE_INFINITY,
  ) {}

  readonly deadline: Deadline = { timeLeftMs: () => this.lengthMs - this.usedMs };

  /** A request SNS answers: it takes its time, and SNS accepts it even if the function died meanwhile. */
  publish(): void {
    this.usedMs += this.publishMs;
    this.requests += 1;
  }

  get dead(): boolean {
    return this.usedMs > this.lengthMs || this.requests >= this.killedAfterRequests;
  }

  /** The run's store, which can no longer be reached once the invocation is over. */
  store(client: StateStore): StateStore {
    return new Proxy(client, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (this.dead) throw new Error(TIMED_OUT);
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
  }
}

function names(count: number, prefix = 'link'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}`);
}

async function registryOf(exporters: readonly string[], registry: Record<string, unknown> = {}): Promise<MonitorRig> {
  const rig = await table.startRig({ registry: { policy: { unhealthyChecks: 1 }, ...registry } });
  for (const name of exporters) rig.simulator.setExporter({ name, state: 'RUNNING' });
  await rig.run();
  return rig;
}

describe('a backlog of alerts across invocations that run out of time', () => {
  test('60 pending alerts, time for 4 requests per invocation: all delivered, none twice, no invocation killed', async () => {
    const exporters = names(60);
    const rig = await registryOf(exporters);
    for (const name of exporters) rig.simulator.setExporter({ name, state: 'PAUSED', trace: SAMPLE_TRACE });
    // 20 s left for delivery, each request takes 4 s: a request started with less than the SNS
    // timeout plus the time to record it left would be cut off by the end of the invocation.
    let invocation = new Invocation(20_000, 4_000);
    rig.sns.always((entries) => {
      invocation.publish();
      return acceptAll(entries);
    });
    const store = new StateStore({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });

    const reports = [];
    for (let run = 0; run < 4; run += 1) {
      invocation = new Invocation(20_000, 4_000);
      reports.push(await rig.run({ store: invocation.store(store), invocationDeadline: invocation.deadline, advanceMs: run === 0 ? RUN_INTERVAL_MS : 1_000 }));
      expect(invocation.dead).toBe(false);
    }

    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
    expect(rig.sns.eventIds()).toHaveLength(60);
    // Each invocation sent what it had time for and left the rest, unclaimed, to the next.
    expect(reports.map((report) => report.registries[0]!.eventsDelivered)).toEqual([40, 20, 0, 0]);
    expect(reports.map((report) => report.registries[0]!.eventsDeferred)).toEqual([20, 0, 0, 0]);
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test('a function killed right after SNS accepted its third request resends only that request\'s 10 alerts', async () => {
    const exporters = names(60);
    const rig = await registryOf(exporters);
    for (const name of exporters) rig.simulator.setExporter({ name, state: 'PAUSED', trace: SAMPLE_TRACE });
    let invocation = new Invocation(60_000, 1_000, 3);
    rig.sns.always((entries) => {
      invocation.publish();
      return acceptAll(entries);
    });
    const store = new StateStore({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });

    const killed = await rig.run({ store: invocation.store(store), invocationDeadline: invocation.deadline });
    expect(killed.errors.map((error) => error.error.message)).toEqual([TIMED_OUT]);
    expect(rig.sns.eventIds()).toHaveLength(30);
    // The killed invocation's claim runs out; a run after that delivers the rest.
    invocation = new Invocation(60_000, 1_000);
    await rig.run({ store: invocation.store(store), invocationDeadline: invocation.deadline });

    expect(new Set(rig.sns.eventIds()).size).toBe(60);
    expect(duplicates(rig.sns.eventIds())).toHaveLength(10);
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test('a run that finished without delivering gives its claim up: a manual invoke right after sends the alert', async () => {
    const rig = await registryOf(['orders', 'payments']);
    rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    rig.sns.next(throwing('ThrottledException', 'Rate exceeded'));
    const failed = await rig.run();
    expect(failed.registries[0]).toMatchObject({ eventsDelivered: 0, deliveryFailures: 1 });

    const manual = await rig.run({ advanceMs: 1_000 });
    expect(manual.registries[0]).toMatchObject({ eventsDecided: 0, eventsDelivered: 1 });
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
    expect(await rig.pendingOutbox()).toEqual([]);
  });
});

describe('a registry with more exporters than one run can read', () => {
  /** Reading stops once the simulator has answered `statusReads` more status requests. */
  function readingFor(rig: MonitorRig, statusReads: number): Deadline {
    const limit = rig.simulator.stats.byKind.status + statusReads;
    return { timeLeftMs: () => (rig.simulator.stats.byKind.status < limit ? 60_000 : 0) };
  }

  test('300 exporters, about 50 reads a run: every exporter is read within ceil(300 / 50) = 6 runs', async () => {
    const exporters = names(300);
    const rig = await table.startRig({ registry: { concurrency: 1 } });
    for (const name of exporters) rig.simulator.setExporter({ name, state: 'RUNNING' });

    for (let run = 0; run < 6; run += 1) {
      const report = await rig.run({ deadline: readingFor(rig, 50) });
      expect(report.registries[0]).toMatchObject({ exportersChecked: 50, skipped: 250 });
    }
    const read = new Set(rig.simulator.recordedRequests.filter((r) => r.kind === 'status').map((r) => r.exporterName));
    expect(exporters.filter((name) => !read.has(name))).toEqual([]);
  });

  test('long names left unread keep the run item small: every run is recorded', async () => {
    const exporters = names(240, `long-${'x'.repeat(2_100)}`);
    const rig = await table.startRig({ registry: { concurrency: 1 } });
    for (const name of exporters) rig.simulator.setExporter({ name, state: 'RUNNING' });

    const reports = [await rig.run({ deadline: readingFor(rig, 5) }), await rig.run({ deadline: readingFor(rig, 5) })];
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    const runItem = (await scanTable(table.dynamo.client)).find(({ item }) => item.pk === `REG#${rig.registryId}` && item.kind === 'run')!;
    // One name (where the next run starts) instead of every name left unread.
    expect(runItem.bytes).toBeLessThan(3_000);
    // The second run went on where the first stopped.
    const read = rig.simulator.recordedRequests.filter((r) => r.kind === 'status').map((r) => r.exporterName);
    expect(new Set(read).size).toBe(read.length);
  });
});
