/**
 * Guarantee 5: store trouble. DynamoDB throttling is retried by the SDK (6 attempts, as the
 * Lambda's client is built: the rig's client takes the handler's number, and one test drives the
 * real handler with its own client); beyond that the run fails loudly and the outbox keeps what it
 * decided for the next run. A conditional-check failure is another run's write, or the SDK
 * retrying a write whose answer was lost: either way the event is in the table and goes out
 * once. No item can pass DynamoDB's 400 KB, whatever the registry sends.
 */
import type { SubjectRecord } from '../../lambda/core/model.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { type DynamoFault, DynamoFaults, type DynamoOperation, FaultyDynamo, SDK_MAX_ATTEMPTS, withShortBackoff } from '../support/dynamo-faults.js';
import { acceptAll, attributeOf, duplicates, throwing } from '../support/fake-sns.js';
import { freshFunction, withEnvironment } from '../support/fresh-function.js';
import { functionEnvironment } from '../support/handler-harness.js';
import { MonitorRig, scanTable } from '../support/monitor-rig.js';
import { captureOutput } from '../support/output-capture.js';

let dynamo: EmbeddedDynamo;
let faulty: FaultyDynamo;
const rigs: MonitorRig[] = [];

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  faulty = new FaultyDynamo(dynamo.endpoint);
});
afterEach(async () => {
  faulty.clear();
  await Promise.all(rigs.splice(0).map((rig) => rig.close()));
});
afterAll(async () => {
  faulty.close();
  await dynamo.close();
});

const DYNAMO_ITEM_LIMIT = 400 * 1024;

async function monitoredRegistry(registry: Record<string, unknown> = {}): Promise<MonitorRig> {
  const rig = await MonitorRig.start({ client: faulty.client, registry: { policy: { unhealthyChecks: 1 }, ...registry } });
  rigs.push(rig);
  for (const name of ['orders', 'payments']) rig.simulator.setExporter({ name, state: 'RUNNING' });
  await rig.run();
  return rig;
}

function pauseOrders(rig: MonitorRig): void {
  rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
}

const OPERATIONS: readonly DynamoOperation[] = ['Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'];

/**
 * What the guarantee promises, independently of how the client is configured: a DynamoDB call
 * throttled five times in a row still succeeds (the function's client makes 6 attempts).
 */
const THROTTLES_RIDDEN_OUT = 5;

/** Five throttled attempts in a row on each kind of call: two of one kind, three of the other. */
function throttlingEveryOperation(): DynamoFault[] {
  return OPERATIONS.flatMap((operation): DynamoFault[] => [
    { operation, kind: 'ProvisionedThroughputExceededException', times: 2 },
    { operation, kind: 'ThrottlingException', times: THROTTLES_RIDDEN_OUT - 2 },
  ]);
}

describe('guarantee 5: store trouble', () => {
  test('throttling on every operation, short of the SDK retries: people see exactly what a clean run shows', async () => {
    const rig = await monitoredRegistry();
    faulty.inject(...throttlingEveryOperation());
    pauseOrders(rig);
    const paused = await rig.run();
    rig.simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    const recovered = await rig.run();

    expect([...paused.errors, ...recovered.errors]).toEqual([]);
    expect(rig.sns.deliveries()).toEqual(['orders state-changed', 'orders recovered']);
    for (const operation of OPERATIONS) expect([operation, faulty.injected[`${operation} ThrottlingException`]]).toEqual([operation, THROTTLES_RIDDEN_OUT - 2]);
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test('the deployed function, with its own DynamoDB client, rides out the same throttling: the run succeeds and the alert goes out once', async () => {
    const simulator = await RegistrySimulator.start();
    for (const name of ['orders', 'payments']) simulator.setExporter({ name, state: 'RUNNING' });
    const registryId = `throttled-fn-${process.pid}`;
    const restore = withEnvironment(
      functionEnvironment(
        dynamo.endpoint,
        JSON.stringify({ registries: [{ id: registryId, baseUrl: simulator.baseUrl, allowInsecureHttp: true, requestTimeoutMs: 1000, policy: { unhealthyChecks: 1 } }] }),
      ),
    );
    const output = captureOutput();
    // The faults go inside the retry loop of the client the handler built; only the waits between
    // attempts are shortened, the number of attempts is the handler's.
    const faults = new DynamoFaults();
    const fn = await freshFunction({
      secrets: new Map(),
      onDynamoClient: (client) => {
        withShortBackoff(client);
        faults.install(client);
      },
    });
    try {
      await fn.invoke(lambdaContext(60_000));
      expect(fn.published).toEqual([]);

      simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
      faults.inject(...throttlingEveryOperation());
      await expect(fn.invoke(lambdaContext(60_000))).resolves.toBeDefined();
      for (const operation of OPERATIONS) {
        expect([operation, faults.injected[`${operation} ProvisionedThroughputExceededException`], faults.injected[`${operation} ThrottlingException`]]).toEqual([
          operation,
          2,
          THROTTLES_RIDDEN_OUT - 2,
        ]);
      }
      await fn.invoke(lambdaContext(60_000));
      expect(fn.published.map((entry) => `${attributeOf(entry, 'exporter')} ${attributeOf(entry, 'event')}`)).toEqual(['orders state-changed']);
      const stored = (await scanTable(dynamo.client)).filter(({ item }) => item.pk === `REG#${registryId}` && item.kind === 'exporter');
      // Nothing left undelivered.
      expect(stored.flatMap(({ item }) => Object.keys((item.outbox ?? {}) as object))).toEqual([]);
    } finally {
      output.restore();
      fn.restore();
      restore();
      await simulator.close();
    }
  });

  test.each([
    ['Query', 'loading the records', 1],
    ['PutItem', 'saving the record with its outbox', 1],
    ['BatchWriteItem', 'writing history', 1],
    // Published, but not marked as such: the next run sends it again, with the same event_id.
    ['UpdateItem', 'emptying the outbox after publishing', 2],
  ] as const)('throttling beyond the SDK retries while %s (%s): the run fails loudly, the next run delivers', async (operation, _, sent) => {
    const rig = await monitoredRegistry();
    pauseOrders(rig);
    faulty.inject({ operation, kind: 'ProvisionedThroughputExceededException', times: SDK_MAX_ATTEMPTS });
    const failed = await rig.run();
    expect(failed.errors).toHaveLength(1);
    // A record write that fails is reported after the other subjects were delivered, inside an AggregateError.
    const { error } = failed.errors[0]!;
    expect((error instanceof AggregateError ? (error.errors[0] as Error) : error).name).toBe('ProvisionedThroughputExceededException');

    faulty.clear();
    await rig.run();
    await rig.run();
    const ids = rig.sns.eventIds();
    expect(rig.sns.deliveries()).toEqual(Array.from({ length: sent }, () => 'orders state-changed'));
    expect(new Set(ids).size).toBe(1);
    expect(await rig.pendingOutbox()).toEqual([]);
    expect((await rig.history()).filter((event) => event.notify).map((event) => event.id)).toEqual([ids[0]]);
  });

  test('a saved record whose answer was lost (the SDK retry then fails its own condition): the event goes out next run, once', async () => {
    const rig = await monitoredRegistry();
    pauseOrders(rig);
    faulty.inject({ operation: 'PutItem', kind: 'lost-response', times: 1 });
    const lost = await rig.run();
    expect(lost.errors).toEqual([]);
    expect(lost.registries[0]!.conflicts).toBe(1);
    expect(rig.sns.accepted).toEqual([]);

    await rig.run();
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  test('a claim or an outbox removal whose answer was lost neither loses nor repeats the event', async () => {
    const rig = await monitoredRegistry();
    pauseOrders(rig);
    rig.sns.next(throwing('ThrottledException'));
    const reports = [await rig.run()];
    // The next run claims the left-behind outbox; the claim's answer is lost.
    faulty.inject({ operation: 'UpdateItem', kind: 'lost-response', times: 1 });
    reports.push(await rig.run());
    expect(rig.sns.accepted).toEqual([]);
    // The run after that claim ended delivers it; the removal's answer is lost too, and retried.
    faulty.inject({ operation: 'UpdateItem', kind: 'lost-response', times: 1 });
    reports.push(await rig.run(), await rig.run());
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
    expect(faulty.injected['UpdateItem lost-response']).toBe(2);
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test('history items left unprocessed by BatchWriteItem are written on a later attempt', async () => {
    const rig = await monitoredRegistry();
    pauseOrders(rig);
    faulty.inject({ operation: 'BatchWriteItem', kind: 'unprocessed', times: 2 });
    const report = await rig.run();
    expect(report.errors).toEqual([]);
    expect(faulty.injected['BatchWriteItem unprocessed']).toBe(2);
    expect(await rig.history()).toHaveLength(1);
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  describe('no item can exceed 400 KB', () => {
    /**
     * A long SNS outage, compressed: the subject's outbox already holds `count` more events like the
     * newest one it has (older, other ids), as thirty runs would have left it. Written through the
     * store, like a run writes it.
     */
    async function pileUp(rig: MonitorRig, exporterName: string | undefined, count: number): Promise<void> {
      const snapshot = await rig.store.loadRegistry(rig.registryId);
      const subject = exporterName === undefined ? snapshot.monitor! : snapshot.exporters.get(exporterName)!;
      const [newest] = [...subject.outbox.values()].sort((a, b) => b.at - a.at);
      const older = Array.from({ length: count }, (_, n) => ({ ...newest!, id: `${newest!.id}-earlier-${n}`, at: newest!.at - (n + 1) * 60_000 }));
      expect(await rig.store.saveSubject(subject, subject.record, older, 0, rig.clock)).toBeDefined();
    }

    /** Runs while SNS is down (each adds an event), checks every item of the table, then lets SNS deliver. */
    async function throughLongOutage(rig: MonitorRig, exporterName: string | undefined, change: (run: number) => void, advanceMs?: number) {
      rig.sns.always(throwing('InternalErrorException'));
      const runs = async (from: number, to: number) => {
        for (let run = from; run < to; run += 1) {
          change(run);
          const report = await rig.run(advanceMs === undefined ? {} : { advanceMs });
          expect(report.errors).toEqual([]);
        }
      };
      await runs(0, 2);
      await pileUp(rig, exporterName, 30);
      await runs(2, 4);
      const items = await scanTable(dynamo.client);
      const largest = Math.max(...items.map((item) => item.bytes));
      expect(largest).toBeLessThan(DYNAMO_ITEM_LIMIT);

      rig.sns.always(acceptAll);
      const drained = await rig.run();
      expect(drained.errors).toEqual([]);
      expect(duplicates(rig.sns.eventIds())).toEqual([]);
      // The newest alerts are the ones kept, and sent when SNS is back.
      const [newest] = (await rig.history()).filter((event) => event.exporterName === exporterName).sort((a, b) => b.at - a.at);
      expect(rig.sns.eventIds()).toContain(newest!.id);
      return largest;
    }

    /**
     * A trace of three-byte characters: its excerpt (2,000 characters) is the largest the monitor
     * keeps. `variant` changes the error, so every check is a new "error-changed" event.
     */
    const wideTrace = (variant: number, frames: number) =>
      `io.confluent.SchemaExporterException: ${variant % 2 === 0 ? '輸出失敗' : '登録失敗'} ${'失'.repeat(400)}; error code: 42205\n${'\tat 例外例外例外例外例外例外例外例外例外例外例外例外例外\n'.repeat(frames)}`;

    test('a 1 MB trace that changes on every check, through a long SNS outage', async () => {
      const rig = await monitoredRegistry();
      const huge = (variant: number) => wideTrace(variant, 25_000);
      expect(Buffer.byteLength(huge(0))).toBeGreaterThan(1024 * 1024);
      const largest = await throughLongOutage(rig, 'orders', (run) => {
        rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: huge(run) });
      });
      expect(largest).toBeGreaterThan(100 * 1024);
    });

    test('an exporter name of 10 KB, with a new error on every check, through a long SNS outage', async () => {
      const longName = `orders-${'x'.repeat(10 * 1024)}`;
      const rig = await monitoredRegistry();
      rig.simulator.setExporter({ name: longName, state: 'RUNNING' });
      await throughLongOutage(rig, longName, (run) => {
        rig.simulator.setExporter({ name: longName, state: 'PAUSED', trace: wideTrace(run, 100) });
      });
      const records = await rig.records();
      expect((records.get(longName)!.record as SubjectRecord).exporterName).toBe(longName);
    });

    test('a 10 KB exporter name the registry cannot even be asked about (HTTP 431), with reminders through a long SNS outage', async () => {
      // 10 KB of three-byte characters: 30 KB once percent-encoded, more than the server takes in a request line.
      const unaskable = '輸'.repeat(3500);
      const rig = await monitoredRegistry({ policy: { unhealthyChecks: 1, reminderIntervalMinutes: 60 } });
      rig.simulator.setExporter({ name: unaskable, state: 'RUNNING' });
      await throughLongOutage(rig, undefined, () => {}, 61 * 60_000);
      const monitor = await rig.monitorRecord();
      expect(monitor!.record.state).toBe('DEGRADED');
      expect(monitor!.record.rootCause).toContain('431');
    });
  });
});
