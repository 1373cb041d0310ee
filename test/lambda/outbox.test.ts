import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import { SnsNotifier } from '../../lambda/notify/sns-notifier.js';
import { deliver } from '../../lambda/outbox.js';
import { readHistory } from '../../lambda/store/history-queries.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { ConsoleNotifier } from '../../local/console-notifier.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { exampleEvent } from '../../local/example-events.js';
import { FakeSns } from '../support/fake-sns.js';
import { plentyOfTime, TOPIC_ARN } from '../support/monitor-rig.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const silentLog = { info: () => {}, warn: () => {}, error: () => {} };

let dynamo: EmbeddedDynamo;
let store: StateStore;
let exporters = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
});
afterAll(() => dynamo.close());

/** A record of a new exporter stored with these events in its outbox, claimed by this run. */
async function storedWith(events: (record: SubjectRecord) => MonitorEvent[]) {
  exporters += 1;
  const record: SubjectRecord = { registryId: 'prod', exporterName: `link-${exporters}`, state: 'PAUSED', signature: '', since: NOW };
  const owned = events(record);
  const subject = (await store.saveSubject(undefined, record, owned, NOW + 60_000, NOW))!;
  return { subject, owned };
}

async function outboxOf(record: SubjectRecord): Promise<string[]> {
  return [...((await store.loadRegistry('prod')).exporters.get(record.exporterName!)?.outbox.keys() ?? [])];
}

/** Muted, recorded-only and meant-for-people events of one exporter. */
const mixed = (record: SubjectRecord) => [
  exampleEvent('state-changed', { id: `${record.exporterName}-muted`, exporterName: record.exporterName, muted: { until: NOW + 60_000, reason: 'maintenance' } }),
  exampleEvent('state-changed', { id: `${record.exporterName}-quiet`, exporterName: record.exporterName, notify: false }),
  exampleEvent('state-changed', { id: `${record.exporterName}-loud`, exporterName: record.exporterName }),
];

describe('delivering an outbox', () => {
  it('muted and record-only events are never published, are recorded, and leave the outbox as delivered', async () => {
    const sns = new FakeSns();
    const notifier = new SnsNotifier({ client: sns.client, topicArn: TOPIC_ARN, registryBaseUrls: new Map() });
    const { subject, owned } = await storedWith(mixed);

    const report = await deliver([{ subject, events: owned, claimed: true }], { store, notifier, deadline: plentyOfTime, log: silentLog, concurrency: 4 });
    expect(sns.eventIds()).toEqual([`${subject.record.exporterName}-loud`]);
    expect(report).toEqual({ delivered: 1, failed: 0, deferred: 0 });
    expect(await outboxOf(subject.record)).toEqual([]);
    const history = await readHistory({ client: dynamo.client, tableName: LOCAL_TABLE_NAME }, { registryIds: ['prod'], exporterName: subject.record.exporterName!, from: 0, to: NOW + 86_400_000 });
    expect(history.map((event) => event.id).sort()).toEqual(owned.map((event) => event.id).sort());
  });

  it('the local demo does not show muted or record-only events either', async () => {
    let output = '';
    const notifier = new ConsoleNotifier({ env: {}, writer: { write: (text: string) => (output += text) } });
    const { subject, owned } = await storedWith(mixed);

    await deliver([{ subject, events: owned, claimed: true }], { store, notifier, deadline: plentyOfTime, log: silentLog, concurrency: 4 });
    // One message shown: its subject line ends with the severity.
    expect(output.match(/  \(critical\)\n/g)).toHaveLength(1);
    expect(await outboxOf(subject.record)).toEqual([]);
  });
});
