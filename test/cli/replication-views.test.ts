/** What `status` and `history` show of stall and drift detection: offsets that stopped, drift found, definitions changed. */
import { definitionChangedEvent } from '../../lambda/core/events.js';
import type { SubjectRecord } from '../../lambda/core/model.js';
import { cli, HOUR, json, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const MINUTE = 60_000;

const exporterRecord = (exporterName: string, state: string, since: number, replication: SubjectRecord['replication']): SubjectRecord => ({
  registryId: 'prod',
  exporterName,
  state,
  signature: '',
  since,
  replication,
});
const stalled = exporterRecord('orders-link', 'STALLED', NOW - 20 * MINUTE, { progress: { offset: 42, movedAt: NOW - 2 * HOUR } });
const drifted = exporterRecord('payments-link', 'DRIFTED', NOW - 5 * MINUTE, {
  drift: {
    checkedAt: NOW - MINUTE,
    destination: 'dr',
    firstSeen: { 'payments-value': NOW - 30 * MINUTE },
    summary: { missingSubjects: 1, missingVersions: 2, idMismatches: 0, examples: ['payments-value: missing'], destination: 'dr' },
  },
});

let store: Awaited<ReturnType<typeof temporaryDir>>;
beforeAll(async () => {
  store = await temporaryDir();
  await writeLocalStore(store.path, {
    records: [stalled, drifted],
    runs: [{ registryId: 'prod', at: NOW - MINUTE }],
    events: [definitionChangedEvent(drifted, 'contextType "AUTO" -> "CUSTOM"', NOW - 10 * MINUTE)],
  });
}, 30_000);
afterAll(() => store.remove());

it('status says how long ago each offset moved and what the last drift comparison found missing', async () => {
  const rows = json<{ exporter: string | null; state: string; offsetMovedAt: string | null; drift: string | null }[]>(
    await cli(['--local', store.path, 'status', '--json'], { now: NOW }),
  );
  expect(rows.filter((row) => row.exporter !== null).map((row) => [row.exporter, row.state, row.offsetMovedAt, row.drift])).toEqual([
    ['orders-link', 'STALLED', new Date(NOW - 2 * HOUR).toISOString(), null],
    ['payments-link', 'DRIFTED', null, '1 subject(s), 2 version(s) missing at dr'],
  ]);
  const { stdout } = await cli(['--local', store.path, 'status'], { now: NOW });
  expect(stdout).toMatch(/orders-link\s+STALLED.*2h ago/);
});

it('history lists a changed definition as a quiet event with what changed', async () => {
  const { stdout } = await cli(['--local', store.path, 'history', '--since', new Date(NOW - HOUR).toISOString()], { now: NOW });
  expect(stdout).toMatch(/payments-link\s+definition-changed\s+DRIFTED\s+quiet\s+contextType "AUTO" -> "CUSTOM"/);
});
