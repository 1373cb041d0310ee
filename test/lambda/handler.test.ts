import { SAMPLE_TRACE } from '../../local/simulator.js';
import { type Harness, startHarness } from '../support/handler-harness.js';
import { captureOutput } from '../support/output-capture.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  harness.simulator.setExporter({ name: 'orders-link', state: 'RUNNING', offset: 10 });
  harness.simulator.setExporter({ name: 'payments link/eu', state: 'RUNNING', offset: 20 });
  harness.simulator.setExporter({ name: 'audit-link', state: 'RUNNING', offset: 30 });
});
afterAll(() => harness.close());

const subjects = () => harness.published.map((entry) => entry.Subject);

describe('the scheduled function, end to end', () => {
  it('records exporters seen healthy for the first time without sending anything', async () => {
    await harness.invoke();
    expect(harness.published).toEqual([]);
  });

  it('waits for a second check before announcing a pause, then sends exactly one message', async () => {
    harness.simulator.setExporter({ name: 'orders-link', state: 'PAUSED', offset: 11, trace: SAMPLE_TRACE });
    await harness.invoke();
    expect(harness.published).toEqual([]);
    await harness.invoke();
    expect(subjects()).toEqual(['[prod] orders-link RUNNING -> PAUSED']);
    const [entry] = harness.published;
    expect(entry!.MessageAttributes).toMatchObject({
      registry: { DataType: 'String', StringValue: 'prod' },
      exporter: { DataType: 'String', StringValue: 'orders-link' },
      event: { DataType: 'String', StringValue: 'state-changed' },
      severity: { DataType: 'String', StringValue: 'critical' },
    });
    const bodies = JSON.parse(entry!.Message!);
    expect(bodies.email).toContain('error code: 42205');
    expect(JSON.parse(bodies.default)).toMatchObject({ version: '1.0', source: 'custom' });
  });

  it('sends nothing and writes no exporter record when nothing changed', async () => {
    harness.dynamo.resetOperations();
    await harness.invoke();
    expect(harness.published).toHaveLength(1);
    // One query for the registry's records and one small "last run" write; nothing per exporter.
    expect(harness.dynamo.operations).toEqual({ Query: 1, PutItem: 1 });
  });

  it('announces a deleted exporter once the 404 with error code 40450 holds', async () => {
    harness.simulator.removeExporter('audit-link');
    await harness.invoke();
    await harness.invoke();
    expect(subjects().at(-1)).toBe('[prod] audit-link disappeared');
  });

  it('announces the recovery of a resumed exporter, in the same incident', async () => {
    harness.simulator.setExporter({ name: 'orders-link', state: 'RUNNING', offset: 12 });
    await harness.invoke();
    const recovered = harness.published.at(-1)!;
    expect(recovered.Subject).toMatch(/^\[prod\] orders-link recovered/);
    expect(recovered.MessageAttributes!.incident_id!.StringValue).toBe(harness.published[0]!.MessageAttributes!.incident_id!.StringValue);
  });

  it('publishes only what is wrong: a count that is zero is no custom metric at all (each costs $0.30 a month while published)', async () => {
    const output = captureOutput();
    try {
      await harness.invoke();
    } finally {
      output.restore();
    }
    const documents = output.jsonLines().filter((line) => '_aws' in line);
    // Nothing skipped, failed or undelivered: no document of the run's totals.
    expect(documents.filter((line) => !('registry' in line))).toEqual([]);
    // audit-link was deleted: MISSING until it returns or is forgotten; only that count is published.
    expect(documents).toHaveLength(1);
    const [perRegistry] = documents;
    expect(perRegistry).toMatchObject({ service: 'schema-exporter-monitor', registry: 'prod', UnhealthyExporters: 1 });
    for (const zero of ['MonitorFailures', 'StalledExporters', 'DriftedExporters', 'ExportersSkipped', 'DeliveryFailures']) expect(perRegistry).not.toHaveProperty(zero);
    const [directive] = (perRegistry!._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }).CloudWatchMetrics;
    expect(directive).toMatchObject({ Namespace: 'SchemaExporterMonitor', Dimensions: [['service', 'registry']] });
    // Nor does an empty run say so in the logs (Powertools warns when asked to publish nothing).
    expect(output.jsonLines().filter((line) => line.level === 'WARN')).toEqual([]);
  });

  it('logs each registry read that failed at WARN, with its class and registry, not only inside "run finished"', async () => {
    harness.simulator.injectFault({ path: '/exporters/audit-link/status', status: 503, times: 10 });
    const output = captureOutput();
    try {
      await harness.invoke();
    } finally {
      output.restore();
    }
    const warnings = output.jsonLines().filter((line) => line.level === 'WARN' && line.message === 'registry read failed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ registryId: 'prod', kind: 'server-error', httpStatus: 503, path: '/exporters/audit-link/status' });
    // ...and counts it, in the run's totals (the alarm) and for its registry (the dashboard).
    const documents = output.jsonLines().filter((line) => '_aws' in line);
    expect(documents.find((line) => !('registry' in line))).toMatchObject({ service: 'schema-exporter-monitor', MonitorFailures: 1 });
    expect(documents.find((line) => line.registry === 'prod')).toMatchObject({ MonitorFailures: 1 });
  });
});
