/**
 * One monitor run across subjects: what a single bad record, a deleted exporter or a silence
 * does to the others.
 */
import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import type { StoredSubject } from '../../lambda/ports.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME } from '../../local/dynamo-table.js';
import { SAMPLE_TRACE } from '../../local/simulator.js';
import { useRigTable } from '../support/rig-table.js';

const table = useRigTable();

/** A store whose writes of one exporter's record always fail (an item DynamoDB refuses, say). */
class StoreFailingFor extends StateStore {
  constructor(private readonly poisoned: string) {
    super({ client: table.dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
  }

  override saveSubject(previous: StoredSubject | undefined, record: SubjectRecord, events: readonly MonitorEvent[], claimedUntil: number, now: number) {
    if (record.exporterName === this.poisoned) return Promise.reject(new Error('ValidationException: item refused'));
    return super.saveSubject(previous, record, events, claimedUntil, now);
  }
}

describe('a monitor run', () => {
  test('one record that cannot be written does not hold back the alerts of the others, and the run still fails', async () => {
    const rig = await table.startRig({ registry: { policy: { unhealthyChecks: 1 } } });
    for (const name of ['good', 'bad']) rig.simulator.setExporter({ name, state: 'RUNNING' });
    await rig.run();
    for (const name of ['good', 'bad']) rig.simulator.setExporter({ name, state: 'PAUSED', trace: SAMPLE_TRACE });
    const report = await rig.run({ store: new StoreFailingFor('bad') });
    expect(rig.sns.deliveries()).toEqual(['good state-changed']);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.error.message).toMatch(/1 record write\(s\) failed .*item refused/);
  });

  test('keeps re-checking a deleted exporter, so its incident reminds and closes when it comes back', async () => {
    const rig = await table.startRig({ registry: { policy: { unhealthyChecks: 1, reminderIntervalMinutes: 60 } } });
    rig.simulator.setExporter({ name: 'audit', state: 'RUNNING' });
    await rig.run();
    rig.simulator.removeExporter('audit');
    await rig.run();
    for (let run = 0; run < 12; run += 1) await rig.run({ advanceMs: 5 * 60_000 });
    rig.simulator.setExporter({ name: 'audit', state: 'RUNNING' });
    await rig.run();
    expect(rig.sns.deliveries()).toEqual(['audit disappeared', 'audit reminder', 'audit reappeared']);
  });
});
