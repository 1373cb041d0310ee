/**
 * The CLI reads a local store that another process holds (LevelDB lets one process open a
 * folder): through the endpoint the holder publishes in the folder, or one clear line when it cannot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore } from '../../lambda/store/state-store.js';
import { LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { STORE_ENDPOINT_FILE } from '../../local/store-endpoint.js';
import { cli, event, HOUR, json, record, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 10);
const OPENED = NOW - 2 * HOUR;
const INCIDENT = { id: 'inc-orders', openedAt: OPENED, cause: 'PAUSED: error code 42205' };

let dir: Awaited<ReturnType<typeof temporaryDir>>;
beforeAll(async () => (dir = await temporaryDir()));
afterAll(() => dir.remove());

/** A store with one paused exporter and its alert, then held open as the watch of `npm start -- --url` holds it. */
async function heldStore(name: string) {
  const path = join(dir.path, name);
  await writeLocalStore(path, {
    runs: [{ registryId: 'prod', at: NOW - 60_000 }],
    records: [record('prod', 'orders-link', 'PAUSED', OPENED, INCIDENT)],
    events: [event({ exporterName: 'orders-link', type: 'state-changed', at: OPENED, previousState: 'RUNNING', state: 'PAUSED', incident: INCIDENT, rootCause: 'error code 42205' })],
  });
  return { path, holder: await startEmbeddedDynamo({ path }) };
}

/** One line on stderr, nothing on stdout, exit code 1. */
function expectOneLineError(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect({ code: result.code, stdout: result.stdout, lines: result.stderr.split('\n').length }).toEqual({ code: 1, stdout: '', lines: 2 });
  expect(result.stderr.trimEnd()).toMatch(message);
}

it('reads status and history through the process that holds the store, and writes a silence it sees', async () => {
  const { path, holder } = await heldStore('watched');
  try {
    const [row] = json<{ exporter: string; state: string; incident: { id: string } | null }[]>(await cli(['--local', path, 'status', '--json'], { now: NOW })).filter((r) => r.exporter !== null);
    expect(row).toMatchObject({ exporter: 'orders-link', state: 'PAUSED', incident: { id: 'inc-orders' } });
    const events = json<{ type: string; incidentId: string }[]>(await cli(['--local', path, 'history', '--since', '1d', '--json'], { now: NOW }));
    expect(events.map((e) => [e.type, e.incidentId])).toEqual([['state-changed', 'inc-orders']]);
    // Through the same server: the holder reads the silence at once, as the monitor would on its next run.
    expect((await cli(['--local', path, 'silence', '--registry', 'prod', '--exporter', 'orders-link', '--until', '1h', '--reason', 'CHG-1'], { now: NOW })).code).toBe(0);
    const monitorView = new StateStore({ client: holder.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    expect((await monitorView.loadRegistry('prod')).silences.map((s) => [s.exporterName, s.reason])).toEqual([['orders-link', 'CHG-1']]);
  } finally {
    await holder.close();
  }
  // Closed, the holder takes its endpoint with it, and the CLI opens the folder itself.
  expect(existsSync(join(path, STORE_ENDPOINT_FILE))).toBe(false);
  expect(json(await cli(['--local', path, 'status', '--json'], { now: NOW })).length).toBeGreaterThan(0);
});

it('says in one line when the process holding the store does not answer where its file says', async () => {
  const { path, holder } = await heldStore('stale');
  try {
    // A port nothing listens on any more, and a process that has exited.
    const gone = await startEmbeddedDynamo();
    const deadEndpoint = gone.endpoint;
    await gone.close();
    const exited = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(path, STORE_ENDPOINT_FILE), JSON.stringify({ endpoint: deadEndpoint, pid: exited }));
    expectOneLineError(
      await cli(['--local', path, 'status'], { now: NOW }),
      new RegExp(`^error: the local store ${path} is in use by another process, but process ${exited} does not answer at ${deadEndpoint.replace(/[.]/g, '\\.')} as its ${STORE_ENDPOINT_FILE} says \\(.+\\): stop whatever holds the folder and try again$`),
    );
  } finally {
    await holder.close();
  }
});

it.each([
  ['is missing', undefined, /^error: the local store \S+ is in use by another process that does not say where it serves it \(no endpoint\.json\): stop that process to read the folder itself$/],
  ['points away from 127.0.0.1', { endpoint: 'http://192.0.2.1:8000', pid: 1 }, /and its endpoint\.json names "http:\/\/192\.0\.2\.1:8000", not an http:\/\/127\.0\.0\.1 address: stop that process to read the folder itself$/],
  ['is not JSON', 'not json', /and its endpoint\.json is not JSON: stop that process/],
])('refuses in one line a held store whose file %s', async (name, content, message) => {
  const { path, holder } = await heldStore(name.replace(/\W+/g, '-'));
  try {
    const file = join(path, STORE_ENDPOINT_FILE);
    if (content === undefined) rmSync(file);
    else writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    expectOneLineError(await cli(['--local', path, 'status'], { now: NOW }), message);
  } finally {
    await holder.close();
  }
});
