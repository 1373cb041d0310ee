/**
 * Stall and drift detection end to end: the real run, registry client and store, against a
 * source simulator whose exporters copy into a destination simulator over real HTTP, one
 * check a minute on the rig's clock.
 */
import { parseRegistryConfig } from '../../lambda/config.js';
import type { RunReport } from '../../lambda/monitor.js';
import type { WatchedRegistry } from '../../lambda/ports.js';
import { watchRegistry } from '../../lambda/watched-registry.js';
import { RegistrySimulator } from '../../local/simulator.js';
import type { MonitorRig } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();
const MINUTE = 60_000;
const destinations: RegistrySimulator[] = [];
afterEach(async () => {
  await Promise.all(destinations.splice(0).map((simulator) => simulator.close()));
});

/** A destination registry and how the monitor reads it: its own URL and credentials, none of its exporters watched. */
async function destination(clock: () => number, credentials = { kind: 'none' as const }): Promise<{ simulator: RegistrySimulator; watched: WatchedRegistry }> {
  const simulator = await RegistrySimulator.start({ now: clock, auth: { kind: 'basic', apiKey: 'dst-key', apiSecret: 'dst-secret' } });
  destinations.push(simulator);
  const config = parseRegistryConfig({ id: 'dr', baseUrl: simulator.baseUrl, allowInsecureHttp: true, exporters: 'none', requestsPerSecond: 75 }, 'registries[1]');
  const watched = watchRegistry(config, { credentials: async () => (credentials.kind === 'none' ? { kind: 'basic', apiKey: 'dst-key', apiSecret: 'dst-secret' } : credentials) });
  return { simulator, watched };
}

async function runMinutes(rig: MonitorRig, minutes: number, each?: (minute: number) => void): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (let minute = 0; minute < minutes; minute += 1) {
    each?.(minute);
    reports.push(await rig.run({ advanceMs: MINUTE }));
  }
  return reports;
}

async function linkedRig(policy: Record<string, number> = {}) {
  let rig: MonitorRig | undefined;
  const dst = await destination(() => rig!.clock);
  rig = await table.startRig({ registry: { policy: { unhealthyChecks: 2, ...policy } }, destinations: [dst.watched] });
  rig.simulator.addSchema('orders-value');
  rig.simulator.addSchema('idle-value');
  rig.simulator.setExporter({ name: 'orders-link', state: 'RUNNING' });
  rig.simulator.linkExporter('orders-link', dst.simulator, { subjects: ['orders-*'], contextType: 'CUSTOM', context: 'dr' });
  rig.simulator.setExporter({ name: 'idle-link', state: 'RUNNING' });
  rig.simulator.linkExporter('idle-link', dst.simulator, { subjects: ['idle-*'], contextType: 'CUSTOM', context: 'dr' });
  return { rig, dst };
}

describe('stall detection against a real registry', () => {
  test('an exporter that stops copying while producers register schemas is STALLED, and recovers when its offset moves', async () => {
    const { rig } = await linkedRig();
    await runMinutes(rig, 5);
    rig.simulator.freezeExporter('orders-link');
    rig.simulator.freezeExporter('idle-link');
    await runMinutes(rig, 40, (minute) => minute % 10 === 0 && rig.simulator.addSchema('orders-value'));
    expect(rig.sns.deliveries()).toEqual(['orders-link stalled']);
    rig.simulator.freezeExporter('orders-link', false);
    await runMinutes(rig, 2);
    // The idle exporter's offset stood still just as long; its subjects never changed, so it is never a stall.
    expect(rig.sns.deliveries()).toEqual(['orders-link stalled', 'orders-link recovered']);
  });

  test('costs under 5% more requests than the status reads once every exporter is known, for 100 exporters sharing one scope', async () => {
    let rig: MonitorRig | undefined;
    const dst = await destination(() => rig!.clock);
    rig = await table.startRig({ registry: { policy: { unhealthyChecks: 2 } }, destinations: [dst.watched] });
    for (let index = 0; index < 20; index += 1) rig.simulator.addSchema(`subject-${index}-value`);
    for (const name of rig.simulator.addExporters(100, 'link-')) rig.simulator.linkExporter(name, dst.simulator, { contextType: 'NONE' });
    // The first run reads every definition once: a cost of the first sight, not of each run.
    await rig.run({ advanceMs: MINUTE });
    const reports = await runMinutes(rig, 30, (minute) => minute % 7 === 0 && rig!.simulator.addSchema('subject-1-value'));
    const statusReads = reports.reduce((sum, report) => sum + report.registries[0]!.exportersChecked, 0);
    const extra = reports.reduce((sum, report) => sum + report.registries[0]!.replicationRequests + report.registries[0]!.destinationRequests, 0);
    expect(statusReads).toBe(30 * 100);
    expect(extra).toBeGreaterThan(0);
    expect(extra / statusReads).toBeLessThan(0.05);
    expect(rig.sns.deliveries()).toEqual([]);
  }, 120_000);
});

describe('drift verification against a real destination', () => {
  test('a subject the exporter never copies becomes a drift after the grace time, naming it; the others stay quiet', async () => {
    const { rig } = await linkedRig({ driftCheckMinutes: 15, driftGraceMinutes: 15 });
    rig.simulator.skipSubject('orders-link', 'orders-payments-value');
    rig.simulator.addSchema('orders-payments-value');
    await runMinutes(rig, 40);
    expect(rig.sns.deliveries()).toEqual(['orders-link drifted']);
    const [drifted] = rig.sns.accepted;
    expect(drifted!.Message).toContain('orders-payments-value: missing');
    const records = await rig.records();
    expect(records.get('orders-link')!.record.replication?.drift?.summary).toMatchObject({ destination: 'dr', missingSubjects: 1 });
  });

  test('a destination that refuses the monitor\'s key is a failure of that read, never a drift', async () => {
    let rig: MonitorRig | undefined;
    const dst = await destination(() => rig!.clock, { kind: 'basic', apiKey: 'dst-key', apiSecret: 'wrong' } as never);
    rig = await table.startRig({ registry: { policy: { driftCheckMinutes: 15, driftGraceMinutes: 0 } }, destinations: [dst.watched] });
    rig.simulator.setExporter({ name: 'orders-link', state: 'RUNNING' });
    rig.simulator.linkExporter('orders-link', dst.simulator, { contextType: 'NONE' });
    rig.simulator.skipSubject('orders-link', 'orders-value');
    rig.simulator.addSchema('orders-value');
    const reports = await runMinutes(rig, 35);
    expect(rig.sns.deliveries()).toEqual([]);
    const failures = reports.flatMap((report) => report.registries[0]!.replicationFailures);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every(({ registryId, failure }) => registryId === 'dr' && failure.kind === 'credentials')).toBe(true);
  });

  test('the destination credentials in an exporter definition reach no record, history item or message', async () => {
    const { rig } = await linkedRig({ driftCheckMinutes: 15, driftGraceMinutes: 15 });
    rig.simulator.skipSubject('orders-link', 'orders-payments-value');
    rig.simulator.addSchema('orders-payments-value');
    await runMinutes(rig, 40);
    const stored = JSON.stringify([[...(await rig.records()).values()], await rig.history(), rig.sns.accepted]);
    expect(stored).toContain('orders-payments-value');
    expect(stored).not.toContain('DST-SECRET');
    expect(stored).not.toContain('basic.auth');
  });
});
