/** What `status` and `incidents` show of pause causes and auto-resume: why it paused, how many attempts, whether it gave up. */
import { resumeOutcome } from '../../lambda/core/auto-resume.js';
import type { MonitorEvent, SubjectRecord } from '../../lambda/core/model.js';
import { cli, json, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const MINUTE = 60_000;
const incident = { id: 'inc-flapping', openedAt: NOW - 30 * MINUTE, lastAlertAt: NOW - 5 * MINUTE, cause: 'PAUSED: java.net.ConnectException: Connection refused' };

const flapping: SubjectRecord = {
  registryId: 'prod',
  exporterName: 'orders-link',
  state: 'PAUSED',
  signature: 'java.net.ConnectException:Connection refused',
  since: NOW - 30 * MINUTE,
  pauseCause: 'destination-unreachable',
  incident,
  autoResume: { attempts: 3, lastAttemptAt: NOW - 20 * MINUTE, gaveUpAt: NOW - 8 * MINUTE },
};
const { autoResume: _none, ...pausedRecord } = flapping;
const importMode: SubjectRecord = {
  ...pausedRecord,
  exporterName: 'payments-link',
  since: NOW - 10 * MINUTE,
  pauseCause: 'import-mode',
  incident: { ...incident, id: 'inc-import', openedAt: NOW - 10 * MINUTE, cause: 'PAUSED: not in import mode' },
};
const attempts: MonitorEvent[] = [1, 2, 3].map((attempt) =>
  resumeOutcome(flapping, { registryId: 'prod', exporterName: 'orders-link', attempt, maxAttempts: 3, dryRun: false }, { kind: 'resumed' }, NOW - (30 - attempt) * MINUTE).event,
);

let store: Awaited<ReturnType<typeof temporaryDir>>;
beforeAll(async () => {
  store = await temporaryDir();
  await writeLocalStore(store.path, { records: [flapping, importMode], runs: [{ registryId: 'prod', at: NOW - MINUTE }], events: attempts });
}, 30_000);
afterAll(() => store.remove());

it('status says why each exporter paused and what auto-resume did', async () => {
  const rows = json<{ exporter: string | null; pausedBecause: string | null; autoResume: { attempts: number; gaveUp: boolean } | null }[]>(
    await cli(['--local', store.path, 'status', '--json'], { now: NOW }),
  );
  expect(rows.filter((row) => row.exporter !== null).map((row) => [row.exporter, row.pausedBecause, row.autoResume?.attempts ?? 0, row.autoResume?.gaveUp ?? false])).toEqual([
    ['orders-link', 'destination-unreachable', 3, true],
    ['payments-link', 'import-mode', 0, false],
  ]);
  const { stdout } = await cli(['--local', store.path, 'status'], { now: NOW, columns: 400 });
  expect(stdout).toMatch(/orders-link\s+PAUSED.*destination unreachable.*gave up after 3/);
  expect(stdout).toMatch(/payments-link\s+PAUSED.*destination subject not in IMPORT mode/);
});

it('incidents count the attempts made in each and say why it paused', async () => {
  const rows = json<{ id: string; pausedBecause: string | null; autoResumeAttempts: number; autoResumeGaveUp: boolean }[]>(
    await cli(['--local', store.path, 'incidents', '--json'], { now: NOW }),
  );
  expect(rows.map((row) => [row.id, row.pausedBecause, row.autoResumeAttempts])).toEqual([
    ['inc-import', 'import-mode', 0],
    ['inc-flapping', 'destination-unreachable', 3],
  ]);
});
