/**
 * Guarantee 1: no lost alert. An event the core decided to announce is stored in its record's
 * outbox in the same conditional write as the state change; it leaves the outbox only once SNS
 * accepted it. So an SNS failure, or a function that dies between recording and publishing,
 * leaves it for the next run, which publishes it with the same `event_id`. A normal run
 * publishes each event once.
 */
import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import type { Notifier } from '../../lambda/notify/notifier.js';
import type { StoredSubject } from '../../lambda/ports.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import { SAMPLE_TRACE } from '../../local/simulator.js';
import { attributeOf, duplicates, eventIdOf, omitting, refusing, throwing } from '../support/fake-sns.js';
import { gate, type MonitorRig } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

/** Two healthy exporters, already recorded; a pause is announced on the first check that sees it. */
async function monitoredRegistry(): Promise<MonitorRig> {
  const rig = await table.startRig({ registry: { policy: { unhealthyChecks: 1 } } });
  rig.simulator.setExporter({ name: 'orders', state: 'RUNNING', offset: 1 });
  rig.simulator.setExporter({ name: 'payments', state: 'RUNNING', offset: 1 });
  const baseline = await rig.run();
  expect(baseline.errors).toEqual([]);
  expect(rig.sns.accepted).toEqual([]);
  return rig;
}

function pause(rig: MonitorRig, name: string): void {
  rig.simulator.setExporter({ name, state: 'PAUSED', offset: 2, trace: SAMPLE_TRACE });
}

/** A store whose function "dies" at a chosen step: the step's write happens, then the invocation ends. */
class DyingStore extends StateStore {
  constructor(private readonly dieAfter: 'saveSubject' | 'recordHistory' | 'removeFromOutbox') {
    super({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
  }

  override async saveSubject(...args: Parameters<StateStore['saveSubject']>): Promise<StoredSubject | undefined> {
    const saved = await super.saveSubject(...args);
    if (this.dieAfter === 'saveSubject') throw new Error('Task timed out after 60.00 seconds');
    return saved;
  }

  override async recordHistory(events: readonly MonitorEvent[]): Promise<void> {
    await super.recordHistory(events);
    if (this.dieAfter === 'recordHistory') throw new Error('Task timed out after 60.00 seconds');
  }

  override async removeFromOutbox(record: SubjectRecord, eventIds: readonly string[]): Promise<number | undefined> {
    if (this.dieAfter === 'removeFromOutbox') throw new Error('Task timed out after 60.00 seconds');
    return super.removeFromOutbox(record, eventIds);
  }
}

describe('guarantee 1: no lost alert', () => {
  test.each([
    ['SNS throttles the request', throwing('ThrottledException', 'Rate exceeded')],
    ['SNS cannot use the topic KMS key', throwing('KMSAccessDeniedException', 'User is not authorized to perform kms:GenerateDataKey')],
    ['SNS is down', throwing('InternalErrorException', 'Internal error')],
    ['SNS reports every entry Failed', refusing(() => true)],
  ])('%s: the next run publishes the pending event with the same event_id, then never again', async (_, failure) => {
    const rig = await monitoredRegistry();
    pause(rig, 'orders');
    rig.sns.next(failure);

    const failed = await rig.run();
    expect(failed.errors).toEqual([]);
    expect(failed.registries[0]).toMatchObject({ eventsDecided: 1, eventsDelivered: 0, deliveryFailures: 1 });
    expect(rig.sns.accepted).toEqual([]);
    const [pending] = await rig.pendingOutbox();
    expect(pending).toMatchObject({ exporterName: 'orders', type: 'state-changed', state: 'PAUSED' });
    const attempted = rig.sns.requests[0]![0]!;
    expect(eventIdOf(attempted)).toBe(pending!.id);

    const retried = await rig.run();
    expect(retried.registries[0]).toMatchObject({ eventsDecided: 0, eventsDelivered: 1, deliveryFailures: 0 });
    expect(rig.sns.eventIds()).toEqual([pending!.id]);
    expect(rig.sns.accepted[0]!.MessageAttributes).toEqual(attempted.MessageAttributes);
    expect(await rig.pendingOutbox()).toEqual([]);

    await rig.run();
    await rig.run();
    expect(rig.sns.eventIds()).toEqual([pending!.id]);
    expect((await rig.history()).map((event) => event.id)).toEqual([pending!.id]);
  });

  test('entries SNS refuses are published by the next run; the ones it accepted are not sent again', async () => {
    const rig = await monitoredRegistry();
    pause(rig, 'orders');
    pause(rig, 'payments');
    rig.sns.next(refusing((entry) => entry.MessageAttributes?.exporter?.StringValue === 'orders'));

    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['payments state-changed']);
    await rig.run();
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['payments state-changed', 'orders state-changed']);
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
  });

  test('entries SNS answers neither as accepted nor as failed stay in the outbox and go out with the next run, once', async () => {
    const rig = await monitoredRegistry();
    const names = ['orders', 'payments', 'audit', 'billing'];
    for (const name of names.slice(2)) rig.simulator.setExporter({ name, state: 'RUNNING', offset: 1 });
    await rig.run();
    for (const name of names) pause(rig, name);
    // One PublishBatch of four entries; the answer lists only payments and billing (as Successful).
    const unanswered = new Set(['orders', 'audit']);
    rig.sns.next(omitting((entry) => unanswered.has(attributeOf(entry, 'exporter') ?? '')));

    const partial = await rig.run();
    expect(partial.errors).toEqual([]);
    expect(rig.sns.requests).toHaveLength(1);
    expect(rig.sns.requests[0]).toHaveLength(4);
    expect(rig.sns.deliveries().sort()).toEqual(['billing state-changed', 'payments state-changed']);
    expect(partial.registries[0]).toMatchObject({ eventsDecided: 4, eventsDelivered: 2, deliveryFailures: 2 });
    const pending = await rig.pendingOutbox();
    expect(pending.map((event) => event.exporterName).sort()).toEqual(['audit', 'orders']);

    const next = await rig.run();
    expect(next.registries[0]).toMatchObject({ eventsDecided: 0, eventsDelivered: 2, deliveryFailures: 0 });
    await rig.run();
    expect(rig.sns.deliveries().sort()).toEqual(names.map((name) => `${name} state-changed`).sort());
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
    // Everything announced went out, each with the id it was recorded with.
    const deliverable = (await rig.history()).filter((event) => event.notify && event.muted === undefined).map((event) => event.id);
    expect(rig.sns.eventIds().sort()).toEqual(deliverable.sort());
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test.each(['saveSubject', 'recordHistory', 'removeFromOutbox'] as const)(
    'the function dies right after %s: the next run publishes what is pending, once',
    async (step) => {
      const rig = await monitoredRegistry();
      pause(rig, 'orders');
      const died = await rig.run({ store: new DyingStore(step) });
      expect(died.errors).toHaveLength(1);
      const published = rig.sns.eventIds();
      // Before removeFromOutbox the event went out: at-least-once means the next run may send it again, same id.
      expect(published).toHaveLength(step === 'removeFromOutbox' ? 1 : 0);

      await rig.run();
      await rig.run();
      const [event] = (await rig.history()).filter((e) => e.exporterName === 'orders');
      expect(event).toMatchObject({ type: 'state-changed', state: 'PAUSED' });
      expect(new Set(rig.sns.eventIds())).toEqual(new Set([event!.id]));
      expect(rig.sns.eventIds()).toHaveLength(step === 'removeFromOutbox' ? 2 : 1);
      expect(await rig.pendingOutbox()).toEqual([]);
    },
  );

  test('a run that hangs while publishing (function timeout) keeps its claim; the first run after the claim publishes', async () => {
    const rig = await monitoredRegistry();
    pause(rig, 'orders');
    let hung = 0;
    const publishing = gate();
    const hanging: Notifier = {
      publish: () => {
        hung += 1;
        publishing.open();
        return new Promise(() => {});
      },
    };
    const hungRun = rig.run({ notifier: hanging });
    // Wait until the hung run has stored the event and reached the publish call.
    await Promise.race([publishing.opened, hungRun.then(() => Promise.reject(new Error('the run ended without publishing')))]);
    expect(hung).toBe(1);

    // A manual run 30 s later: the hung invocation may still be alive, so its outbox is left alone.
    await rig.run({ advanceMs: 30_000 });
    expect(rig.sns.accepted).toEqual([]);

    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
    await rig.run();
    expect(rig.sns.accepted).toHaveLength(1);
  });

  test('a notifier that throws instead of reporting failures loses nothing either', async () => {
    const rig = await monitoredRegistry();
    pause(rig, 'orders');
    const broken: Notifier = { publish: () => Promise.reject(new Error('socket hang up')) };
    const report = await rig.run({ notifier: broken });
    expect(report.errors).toHaveLength(1);
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  test('events decided during a long SNS outage all go out when it ends, in order, each once', async () => {
    const rig = await monitoredRegistry();
    rig.sns.always(throwing('InternalErrorException'));
    pause(rig, 'orders');
    await rig.run();
    rig.simulator.setExporter({ name: 'orders', state: 'RUNNING', offset: 3 });
    await rig.run();
    pause(rig, 'payments');
    await rig.run();
    await rig.run();
    expect(rig.sns.accepted).toEqual([]);
    expect(await rig.pendingOutbox()).toHaveLength(3);

    rig.sns.always((entries) => ({ Successful: entries.map((e) => ({ Id: e.Id, MessageId: 'm' })), Failed: [] }));
    await rig.run();
    expect(rig.sns.deliveries().sort()).toEqual(['orders recovered', 'orders state-changed', 'payments state-changed']);
    const perExporter = rig.sns.deliveries().filter((d) => d.startsWith('orders'));
    expect(perExporter).toEqual(['orders state-changed', 'orders recovered']);
    await rig.run();
    expect(rig.sns.accepted).toHaveLength(3);
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
  });

  test('over many ordinary runs, every announced event is published exactly once', async () => {
    const rig = await monitoredRegistry();
    const names = ['orders', 'payments', 'audit', 'billing'];
    for (const name of names.slice(2)) rig.simulator.setExporter({ name, state: 'RUNNING' });
    // A fixed pseudo-random walk of states, so a failure can be replayed.
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const states = ['RUNNING', 'PAUSED', 'STARTING', 'RUNNING'];
    for (let run = 0; run < 20; run += 1) {
      for (const name of names) {
        if (random() < 0.6) {
          const state = states[Math.floor(random() * states.length)]!;
          rig.simulator.setExporter({ name, state, trace: state === 'PAUSED' ? `${SAMPLE_TRACE}\nrun ${run}` : '' });
        }
      }
      const report = await rig.run();
      expect(report.errors).toEqual([]);
    }
    const history = await rig.history();
    const deliverable = history.filter((event) => event.notify && event.muted === undefined).map((event) => event.id);
    expect(deliverable.length).toBeGreaterThan(5);
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
    expect(rig.sns.eventIds().sort()).toEqual(deliverable.sort());
    expect(await rig.pendingOutbox()).toEqual([]);
  });
});
