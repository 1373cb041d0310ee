/**
 * A whole day of one registry, replayed through the real run (registry client against the
 * simulator, DynamoDB on dynalite, the SNS notifier) with the default alert policy and a run every
 * 10 minutes: the exact messages people receive, in order, and nothing else.
 */
import { attributeOf } from '../support/fake-sns.js';
import { MonitorRig } from '../support/monitor-rig.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { SAMPLE_TRACE } from '../../local/simulator.js';

const RUN_EVERY = 10 * 60_000;
const RUNS_PER_DAY = 144;
const OTHER_ERROR = SAMPLE_TRACE.replace(
  /^.*$/m,
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Schema not found; error code: 40403',
);

let dynamo: EmbeddedDynamo;
let rig: MonitorRig;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  rig = await MonitorRig.start({ client: dynamo.client });
});
afterAll(async () => {
  await rig.close();
  await dynamo.close();
});

/** What happens at which run (run n is at 00:00 + n x 10 minutes). */
const SCRIPT: Record<number, (rig: MonitorRig) => void> = {
  0: ({ simulator }) => {
    for (const name of ['orders', 'payments', 'audit']) simulator.setExporter({ name, state: 'RUNNING', offset: 100 });
  },
  6: ({ simulator }) => simulator.setExporter({ name: 'payments', state: 'PAUSED', trace: SAMPLE_TRACE }), // 01:00, a blip
  7: ({ simulator }) => simulator.setExporter({ name: 'payments', state: 'RUNNING' }),
  12: ({ simulator }) => simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE }), // 02:00
  40: ({ simulator }) => simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: OTHER_ERROR }), // 06:40, a new error
  48: ({ simulator }) => simulator.setExporter({ name: 'orders', state: 'RUNNING', offset: 180 }), // 08:00, resumed
  60: ({ simulator }) => simulator.removeExporter('audit'), // 10:00, deleted
  // 12:00 to 12:30: the registry answers 503 to everything, retries included, for three runs.
  72: ({ simulator }) =>
    simulator.injectFault({
      path: /^\/exporters$/,
      status: 503,
      body: JSON.stringify({ error_code: 50003, message: 'Error while forwarding the request to the leader' }),
      times: 12,
    }),
};

describe('a scripted day', () => {
  it('sends exactly: pause, reminder, new error, recovery, disappearance, monitor degraded, monitor recovered, reminders of the deletion', async () => {
    const start = rig.clock;
    for (let run = 0; run < RUNS_PER_DAY; run += 1) {
      SCRIPT[run]?.(rig);
      const report = await rig.run({ advanceMs: run === 0 ? 0 : RUN_EVERY });
      expect(report.errors).toEqual([]);
    }
    const id = rig.registryId;
    expect(rig.sns.accepted.map((entry) => entry.Subject)).toEqual([
      `[${id}] orders RUNNING -> PAUSED`,
      `[${id}] reminder: orders PAUSED for 4h 10m`,
      `[${id}] orders PAUSED with a new error`,
      `[${id}] orders recovered after 6h`,
      `[${id}] audit disappeared`,
      `[${id}] monitor cannot read registry (server-error)`,
      `[${id}] monitor recovered after 30m`,
      // A deleted exporter stays an open incident (still checked, still missing) until it returns or is forgotten.
      `[${id}] reminder: audit MISSING for 4h 10m`,
      `[${id}] reminder: audit MISSING for 8h 10m`,
      `[${id}] reminder: audit MISSING for 12h 10m`,
    ]);
    // Every message of the orders incident carries the same incident id, from the first alert to the recovery.
    const ordersIncidents = rig.sns.accepted.filter((e) => attributeOf(e, 'exporter') === 'orders').map((e) => attributeOf(e, 'incident_id'));
    expect(new Set(ordersIncidents).size).toBe(1);
    // The blip and the quiet hours are in no message, and each message went out once.
    expect(new Set(rig.sns.eventIds()).size).toBe(rig.sns.accepted.length);
    expect(rig.clock - start).toBe((RUNS_PER_DAY - 1) * RUN_EVERY);
  });
});
