/**
 * Guarantee 2: no double alert from overlapping runs. Every record write is conditional on the
 * version the run read, so of two runs that decided the same transition only the first writer
 * announces it; an outbox being delivered is claimed (`claimedUntil`), so no other run sends it
 * meanwhile, and a left-behind outbox is claimed with the same version condition.
 */
import type { MonitorEvent } from '../../lambda/core/model.js';
import type { Notifier } from '../../lambda/notify/notifier.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import { SAMPLE_TRACE } from '../../local/simulator.js';
import { acceptAll, duplicates, throwing } from '../support/fake-sns.js';
import { gate, type MonitorRig, RUN_INTERVAL_MS } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

async function monitoredRegistry(policy: Record<string, number> = { unhealthyChecks: 1 }): Promise<MonitorRig> {
  const rig = await table.startRig({ registry: { policy } });
  for (const name of ['orders', 'payments', 'audit']) rig.simulator.setExporter({ name, state: 'RUNNING' });
  await rig.run();
  return rig;
}

function newStore(): StateStore {
  return new StateStore({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
}

/** Stores that hold every run after its snapshot read until `count` runs have read theirs. */
function loadTogether(count: number): StateStore[] {
  let loaded = 0;
  const all = gate();
  return Array.from({ length: count }, () => {
    const store = newStore();
    const load = store.loadRegistry.bind(store);
    store.loadRegistry = async (registryId) => {
      const snapshot = await load(registryId);
      loaded += 1;
      if (loaded === count) all.open();
      await all.opened;
      return snapshot;
    };
    return store;
  });
}

/** A notifier that waits for `until` before passing the events on. */
function heldNotifier(inner: Notifier, until: Promise<void>): { notifier: Notifier; reached: Promise<void> } {
  const reached = gate();
  return {
    reached: reached.opened,
    notifier: {
      publish: async (events) => {
        reached.open();
        await until;
        return inner.publish(events);
      },
    },
  };
}

/**
 * `orders` has just paused, and a scheduled run that decided it is held at its delivery;
 * `deliver()` lets that run publish and waits for it to finish.
 */
async function scheduledRunHeldAtDelivery(): Promise<{ rig: MonitorRig; deliver: () => Promise<void> }> {
  const rig = await monitoredRegistry();
  rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
  const release = gate();
  const held = heldNotifier(rig.notifier, release.opened);
  const scheduled = rig.run({ notifier: held.notifier });
  await held.reached;
  return {
    rig,
    deliver: async () => {
      release.open();
      await scheduled;
    },
  };
}

describe('guarantee 2: no double alert from overlapping runs', () => {
  test('two runs that both read the records before either writes announce each transition once', async () => {
    const rig = await monitoredRegistry();
    rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    rig.simulator.removeExporter('payments');

    const [scheduled, manual] = loadTogether(2);
    const reports = await Promise.all([rig.run({ store: scheduled }), rig.run({ store: manual, advanceMs: 1000 })]);
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    expect(rig.sns.deliveries().sort()).toEqual(['orders state-changed', 'payments disappeared']);
    // Each of the two records was written by one run; the other run's write was refused.
    expect(reports.reduce((sum, r) => sum + r.registries[0]!.conflicts, 0)).toBe(2);

    await rig.run();
    expect(rig.sns.accepted).toHaveLength(2);
  });

  test('two overlapping runs count as one check for the debounce, not two', async () => {
    const rig = await monitoredRegistry({ unhealthyChecks: 2 });
    rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    const [first, second] = loadTogether(2);
    await Promise.all([rig.run({ store: first }), rig.run({ store: second, advanceMs: 1000 })]);
    expect(rig.sns.accepted).toEqual([]);
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  test('a run that starts while another is publishing neither repeats nor steals its events', async () => {
    const { rig, deliver } = await scheduledRunHeldAtDelivery();

    const manual = await rig.run({ advanceMs: 2000 });
    expect(manual.registries[0]).toMatchObject({ eventsDecided: 0, eventsDelivered: 0 });
    await deliver();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  test('a newer change decided while another run is delivering an older one: both go out, each once', async () => {
    const { rig, deliver } = await scheduledRunHeldAtDelivery();

    rig.simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    await rig.run({ advanceMs: 2000 });
    await deliver();
    expect(rig.sns.deliveries().sort()).toEqual(['orders recovered', 'orders state-changed']);
    expect(await rig.pendingOutbox()).toEqual([]);
    await rig.run();
    expect(rig.sns.accepted).toHaveLength(2);
  });

  test('a run that read a record before another run delivered its alert cannot write the delivered alert back', async () => {
    const { rig, deliver } = await scheduledRunHeldAtDelivery();
    rig.simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    // A manual run reads the record while the pause alert is still in its outbox, decides the
    // recovery, and is held just before writing its copy (outbox included).
    const decided = gate();
    const write = gate();
    const stale = newStore();
    const save = stale.saveSubject.bind(stale);
    stale.saveSubject = async (...args) => {
      decided.open();
      await write.opened;
      return save(...args);
    };
    const manual = rig.run({ store: stale, advanceMs: 2000 });
    await decided.opened;
    // Meanwhile the scheduled run publishes the pause alert and removes it from the outbox.
    await deliver();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
    expect(await rig.pendingOutbox()).toEqual([]);

    // Now the manual run writes the copy it read; the alert it carries was already delivered.
    write.open();
    expect((await manual).errors).toEqual([]);
    await rig.run();
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['orders state-changed', 'orders recovered']);
    expect(duplicates(rig.sns.eventIds())).toEqual([]);
    expect(await rig.pendingOutbox()).toEqual([]);
  });

  test('two runs that find the same undelivered outbox: only one of them sends it', async () => {
    const rig = await monitoredRegistry();
    rig.simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    rig.sns.next(throwing('ThrottledException'));
    await rig.run();
    expect(await rig.pendingOutbox()).toHaveLength(1);

    const [first, second] = loadTogether(2);
    await Promise.all([rig.run({ store: first }), rig.run({ store: second, advanceMs: 1000 })]);
    expect(rig.sns.deliveries()).toEqual(['orders state-changed']);
  });

  test('many runs overlapping at random, with SNS failing now and then: every transition is announced exactly once', async () => {
    const rig = await monitoredRegistry();
    const names = ['orders', 'payments', 'audit'];
    // The registry's states and the timing jitter each draw from their own seeded generator, and
    // SNS fails by its own count: however the runs interleave (and so in whatever order the jitter
    // is drawn), the registry goes through the same states and SNS fails the same share of requests.
    const seeded = (seed: number) => () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const random = seeded(11);
    const jitter = seeded(23);
    const expected = new Map(names.map((name) => [name, [] as string[]]));
    const current = new Map(names.map((name) => [name, 'RUNNING']));
    // SNS fails every fourth PublishBatch request. Every round with a change publishes at least
    // once, so four such rounds are enough for SNS to fail at least one request.
    let snsRequests = 0;
    let roundsWithChanges = 0;
    rig.sns.always((entries) => ((snsRequests += 1) % 4 === 0 ? throwing('ThrottledException')(entries) : acceptAll(entries)));

    /** A store that lets the other runs overtake it at every step. */
    const jittery = (): StateStore => {
      const store = newStore();
      for (const method of ['loadRegistry', 'saveSubject', 'claimOutbox', 'removeFromOutbox', 'recordHistory'] as const) {
        const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
        (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(jitter() * 8)));
          return original(...args);
        };
      }
      return store;
    };

    let conflicts = 0;
    for (let round = 0; round < 8; round += 1) {
      let changed = false;
      for (const name of names) {
        if (random() < 0.5) continue;
        const next = ['RUNNING', 'PAUSED', 'MISSING'].filter((state) => state !== current.get(name))[Math.floor(random() * 2)]!;
        current.set(name, next);
        expected.get(name)!.push(next);
        if (next === 'MISSING') rig.simulator.removeExporter(name);
        else rig.simulator.setExporter({ name, state: next, ...(next === 'PAUSED' && { trace: SAMPLE_TRACE }) });
        changed = true;
      }
      if (changed) roundsWithChanges += 1;
      // A scheduled run and two manual ones started within 1.4 s of it.
      const reports = await Promise.all([RUN_INTERVAL_MS, 700, 700].map((advanceMs) => rig.run({ store: jittery(), advanceMs })));
      expect(reports.flatMap((r) => r.errors)).toEqual([]);
      conflicts += reports.reduce((sum, r) => sum + r.registries[0]!.conflicts, 0);
    }
    // The schedule really did make runs collide, and SNS really did fail some requests.
    expect(conflicts).toBeGreaterThan(3);
    expect(roundsWithChanges).toBeGreaterThanOrEqual(4);
    expect(rig.sns.requests.filter((batch) => !batch.some((entry) => rig.sns.accepted.includes(entry))).length).toBeGreaterThan(0);
    expect([...expected.values()].flat().length).toBeGreaterThan(6);
    // Let the outboxes drain.
    rig.sns.always(acceptAll);
    await rig.run();
    await rig.run();

    expect(duplicates(rig.sns.eventIds())).toEqual([]);
    const history = await rig.history();
    const announced = (name: string) =>
      history
        .filter((event: MonitorEvent) => event.exporterName === name && event.notify)
        .sort((a, b) => a.at - b.at)
        .map((event) => event.state);
    for (const name of names) expect([name, announced(name)]).toEqual([name, expected.get(name)]);
    expect(rig.sns.eventIds().sort()).toEqual(history.filter((event) => event.notify).map((event) => event.id).sort());
    expect(await rig.pendingOutbox()).toEqual([]);
  });
});
