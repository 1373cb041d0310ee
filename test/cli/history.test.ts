import type { MonitorEvent } from '../../lambda/core/model.js';
import { eventJson } from '../../cli/event-json.js';
import { readHistory } from '../../lambda/store/history-queries.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { FIRST_DAY, HISTORY_EVENTS, HISTORY_NOW } from './support/history-fixture.js';
import { cli, HOUR, json, temporaryDir, writeLocalStore } from './support/harness.js';

const DAY = 24 * HOUR;
const iso = (at: number) => new Date(at).toISOString();
const allTime = ['--since', iso(FIRST_DAY), '--until', iso(HISTORY_NOW)];
const newestFirst = (events: readonly MonitorEvent[]) => [...events].sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));

describe('history queries (in-memory dynalite)', () => {
  let dynamo: EmbeddedDynamo;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    const store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    await store.recordHistory(HISTORY_EVENTS);
  });
  afterAll(() => dynamo.close());
  beforeEach(() => dynamo.resetOperations());

  const read = async (filter: Parameters<typeof readHistory>[1]) => {
    const pages: number[] = [];
    const events = await readHistory({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, onPage: ({ pages: n }) => pages.push(n) }, filter);
    return { events, pages: pages.length };
  };

  it('follows an exporter partition of more than 1 MB over several pages, newest first', async () => {
    const { events, pages } = await read({ registryIds: ['prod'], exporterName: 'orders-link', from: FIRST_DAY, to: HISTORY_NOW });
    expect(Buffer.byteLength(JSON.stringify(events))).toBeGreaterThan(1024 * 1024);
    expect(pages).toBeGreaterThan(1);
    expect(events).toHaveLength(500);
    expect(events).toEqual(newestFirst(HISTORY_EVENTS.filter((e) => e.registryId === 'prod' && e.exporterName === 'orders-link')));
    expect(dynamo.operations).toEqual({ Query: pages });
  });

  it('reads one index partition per day of the window, following each past 1 MB, and never scans', async () => {
    const { events, pages } = await read({ from: FIRST_DAY, to: HISTORY_NOW });
    expect(events).toEqual(newestFirst(HISTORY_EVENTS));
    // Four days, and the busy day takes more than one page.
    expect(pages).toBeGreaterThan(4);
    expect(Object.keys(dynamo.operations)).toEqual(['Query']);
  });

  it('keeps the window half-open: an event at exactly --until is left for the next window', async () => {
    const first = HISTORY_EVENTS.find((e) => e.registryId === 'prod')!;
    const { events } = await read({ registryIds: ['prod'], exporterName: 'orders-link', from: first.at - 1, to: first.at + 2 * 60_000 });
    expect(events.map((e) => e.at)).toEqual([first.at]);
  });
});

describe('history command (local store)', () => {
  let store: Awaited<ReturnType<typeof temporaryDir>>;
  beforeAll(async () => {
    store = await temporaryDir();
    await writeLocalStore(store.path, { events: HISTORY_EVENTS, runs: ['prod', 'staging'].map((registryId) => ({ registryId, at: HISTORY_NOW })) });
  });
  afterAll(() => store.remove());

  const history = async (...argv: string[]) => json<ReturnType<typeof eventJson>[]>(await cli(['--local', store.path, 'history', ...argv, '--json'], { now: HISTORY_NOW }));
  const count = (keep: (e: MonitorEvent) => boolean) => HISTORY_EVENTS.filter(keep).length;

  it('returns every event of the window across pages, as stored, its times in ISO 8601 like every command', async () => {
    const events = await history(...allTime);
    expect(events).toEqual(newestFirst(HISTORY_EVENTS).map(eventJson));
    expect(events[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(events[0]!.trace).toHaveLength(2000);
  });

  it('filters by registry, exporter, type and window', async () => {
    expect(await history(...allTime, '--registry', 'staging')).toHaveLength(60);
    expect(await history(...allTime, '--exporter', 'orders-link')).toHaveLength(550);
    expect(await history(...allTime, '--registry', 'prod', '--exporter', 'orders-link')).toHaveLength(500);
    const recoveries = await history(...allTime, '--registry', 'prod', '--type', 'recovered');
    expect(recoveries).toHaveLength(count((e) => e.registryId === 'prod' && e.type === 'recovered'));
    expect(recoveries.every((e) => e['type'] === 'recovered')).toBe(true);
    const monitorEvents = await history(...allTime, '--type', 'monitor-degraded,monitor-recovered');
    expect(monitorEvents).toHaveLength(10);
    const day21 = await history('--since', iso(FIRST_DAY + 2 * DAY), '--until', iso(FIRST_DAY + 3 * DAY));
    expect(day21).toHaveLength(count((e) => e.at >= FIRST_DAY + 2 * DAY && e.at < FIRST_DAY + 3 * DAY));
    // Relative windows count back from now: the last 36 hours reach back to 2026-11-21 12:00.
    expect(await history('--since', '36h')).toHaveLength(count((e) => e.at >= HISTORY_NOW - 36 * HOUR));
  });

  it('prints a table and CSV with one row per event', async () => {
    const argv = ['--local', store.path, 'history', ...allTime, '--registry', 'staging', '--exporter', 'orders-link'];
    const table = await cli(argv, { now: HISTORY_NOW });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+REGISTRY\s+EXPORTER\s+EVENT\s+STATE\s+NOTICE\s+INCIDENT\s+CAUSE$/);
    expect(lines).toHaveLength(51);
    expect(lines[1]).toMatch(/^2026-11-22 \d\d:\d\d:00Z\s+staging\s+orders-link\s+(recovered|state-changed)\s+/);
    const csv = await cli([...argv, '--format', 'csv'], { now: HISTORY_NOW });
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows).toHaveLength(51);
    expect(rows[0]).toBe('TIME,REGISTRY,EXPORTER,EVENT,STATE,NOTICE,INCIDENT,CAUSE');
  });

  it('says so when the window is empty', async () => {
    const result = await cli(['--local', store.path, 'history', '--since', '1h'], { now: HISTORY_NOW });
    expect(result).toEqual({ code: 0, stdout: 'No events in this window.\n', stderr: '' });
  });

  it('shows progress on a terminal only', async () => {
    const piped = await cli(['--local', store.path, 'history', ...allTime, '--json'], { now: HISTORY_NOW });
    expect(piped.stderr).toBe('');
    const terminal = await cli(['--local', store.path, 'history', ...allTime, '--json'], { now: HISTORY_NOW, tty: true });
    expect(terminal.stderr).toMatch(/reading history: \d+ page\(s\), 600 event\(s\)/);
    expect(terminal.stderr.endsWith('\r\x1b[2K')).toBe(true);
  });
});
