/**
 * Auto-resume end to end: the real run, registry client and store (dynalite) against the
 * simulator over HTTP, one check a minute on the rig's clock. What is resumed shows in the
 * registry's request log; what is said shows in what SNS accepted.
 */
import { parseRegistryConfig } from '../../lambda/config.js';
import { plentyOfTime } from '../support/monitor-rig.js';
import type { MonitorRig } from '../support/monitor-rig.js';
import { useRigTable } from '../support/rig-table.js';
import { RegistrySimulator } from '../../local/simulator.js';
import { watchRegistry } from '../../lambda/watched-registry.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import type { RunStore } from '../../lambda/ports.js';

const table = useRigTable();
const MINUTE = 60_000;

async function resumableRig(autoResume: Record<string, unknown> = { enabled: true }) {
  const rig = await table.startRig({ registry: { policy: { unhealthyChecks: 2 }, autoResume } });
  rig.simulator.setExporter({ name: 'orders-link', state: 'RUNNING', offset: 5 });
  await rig.run({ advanceMs: MINUTE });
  return rig;
}

async function runMinutes(rig: MonitorRig, minutes: number): Promise<void> {
  for (let minute = 0; minute < minutes; minute += 1) await rig.run({ advanceMs: MINUTE });
}

const resumes = (rig: MonitorRig) => rig.simulator.recordedRequests.filter((request) => request.kind === 'resume').length;

describe('auto-resume against a real registry', () => {
  test('a transient pause is resumed by the monitor, announced in the incident, and recovers', async () => {
    const rig = await resumableRig();
    rig.simulator.pauseExporter('orders-link', 'destination-unreachable');
    await runMinutes(rig, 4);
    expect(resumes(rig)).toBe(1);
    expect(rig.simulator.exporters.get('orders-link')?.state).toBe('RUNNING');
    expect(rig.sns.deliveries()).toEqual(['orders-link state-changed', 'orders-link auto-resumed', 'orders-link recovered']);
    const history = await rig.history();
    const attempt = history.find((event) => event.type === 'auto-resumed');
    expect(attempt).toMatchObject({ autoResume: { outcome: 'resumed', attempt: 1, maxAttempts: 3 }, pauseCause: 'destination-unreachable' });
    expect(new Set(history.filter((event) => event.notify).map((event) => event.incidentId)).size).toBe(1);
  });

  test('a destination subject not in IMPORT mode is never resumed; the message says why', async () => {
    const rig = await resumableRig();
    rig.simulator.pauseExporter('orders-link', 'import-mode');
    await runMinutes(rig, 60);
    expect(resumes(rig)).toBe(0);
    expect(rig.sns.deliveries()).toEqual(['orders-link state-changed']);
    const [alert] = (await rig.history()).filter((event) => event.notify);
    expect(alert).toMatchObject({ pauseCause: 'import-mode', autoResume: { outcome: 'refused' } });
  });

  test('an exporter whose resumes do not hold gets the maximum attempts, then one critical give-up, then nothing', async () => {
    const rig = await resumableRig();
    rig.simulator.pauseExporter('orders-link', 'rate-limited');
    rig.simulator.relapseExporter('orders-link');
    await runMinutes(rig, 90);
    expect(resumes(rig)).toBe(3);
    expect(rig.sns.deliveries()).toEqual([
      'orders-link state-changed',
      'orders-link auto-resumed',
      'orders-link auto-resumed',
      'orders-link auto-resumed',
      'orders-link auto-resume-gave-up',
    ]);
  }, 60_000);

  test('a dry run announces "would resume" and never calls the registry', async () => {
    const rig = await resumableRig({ enabled: true, dryRun: true });
    rig.simulator.pauseExporter('orders-link', 'destination-unreachable');
    await runMinutes(rig, 3);
    expect(resumes(rig)).toBe(0);
    expect(rig.simulator.exporters.get('orders-link')?.state).toBe('PAUSED');
    const attempt = (await rig.history()).find((event) => event.type === 'auto-resumed');
    expect(attempt?.autoResume).toMatchObject({ outcome: 'would-resume', dryRun: true });
  });

  test('409 with 40961 (someone resumed it first) counts as success', async () => {
    const rig = await resumableRig();
    rig.simulator.pauseExporter('orders-link', 'destination-unreachable');
    rig.simulator.injectFault({ method: 'PUT', path: /\/resume$/, status: 409, body: JSON.stringify({ error_code: 40961, message: "Exporter 'orders-link' is already running." }) });
    await runMinutes(rig, 2);
    const attempt = (await rig.history()).find((event) => event.type === 'auto-resumed');
    expect(attempt?.autoResume?.outcome).toBe('already-running');
  });

  test('two overlapping runs that both decide the same attempt resume the exporter once', async () => {
    const rig = await resumableRig();
    rig.simulator.pauseExporter('orders-link', 'destination-unreachable');
    await rig.run({ advanceMs: MINUTE });
    // Both runs load the record before either stores its decision.
    let loads = 0;
    let release!: () => void;
    const bothLoaded = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store = new StateStore({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    const gated: RunStore = Object.assign(Object.create(store) as StateStore, {
      loadRegistry: async (registryId: string) => {
        const snapshot = await store.loadRegistry(registryId);
        loads += 1;
        if (loads === 2) release();
        await bothLoaded;
        return snapshot;
      },
    });
    const [first, second] = await Promise.all([rig.run({ advanceMs: MINUTE, store: gated as StateStore }), rig.run({ advanceMs: 0, store: gated as StateStore })]);
    expect(resumes(rig)).toBe(1);
    expect(first.registries[0]!.resumeAttempts + second.registries[0]!.resumeAttempts).toBe(1);
    expect(first.registries[0]!.conflicts + second.registries[0]!.conflicts).toBe(1);
  });
});

describe('resuming with its own key', () => {
  const simulators: RegistrySimulator[] = [];
  afterEach(async () => {
    await Promise.all(simulators.splice(0).map((simulator) => simulator.close()));
  });

  test('a read key the registry refuses to resume with fails the attempt with the 403; the resume key succeeds', async () => {
    const reader = { kind: 'basic' as const, apiKey: 'read-key', apiSecret: 'read-secret' };
    const writer = { kind: 'basic' as const, apiKey: 'resume-key', apiSecret: 'resume-secret' };
    const simulator = await RegistrySimulator.start({ auth: reader, writer });
    simulators.push(simulator);
    simulator.setExporter({ name: 'orders-link', state: 'PAUSED', trace: 'java.net.ConnectException: Connection refused' });
    const config = parseRegistryConfig({ id: 'prod', baseUrl: simulator.baseUrl, allowInsecureHttp: true, autoResume: { enabled: true } }, 'registries[0]');

    const readKeyOnly = watchRegistry(config, { credentials: async () => reader });
    const refused = await readKeyOnly.resume('orders-link', plentyOfTime);
    expect(refused.value).toBeUndefined();
    expect(refused.failures[0]).toMatchObject({ httpStatus: 403, errorCode: 40301 });
    expect(JSON.stringify(refused)).not.toContain('read-secret');

    const withResumeKey = watchRegistry(config, { credentials: async () => reader, resumeCredentials: async () => writer });
    expect((await withResumeKey.resume('orders-link', plentyOfTime)).value).toBe('resumed');
    expect(simulator.exporters.get('orders-link')?.state).toBe('RUNNING');
    // Reads still go with the read key.
    const reading = await withResumeKey.read(['orders-link'], plentyOfTime);
    expect(reading.failures).toEqual([]);
    expect(simulator.recordedRequests.filter((request) => request.kind === 'status').every((request) => request.headers.authorization?.startsWith('Basic cmVhZC1rZXk'))).toBe(true);
  });
});
