import { cli, event, HOUR, json, record, temporaryDir, writeLocalStore } from './support/harness.js';
import { DAY_END, DAY_START, EXPECTED_FIGURES, EXPECTED_INCIDENTS, REPORT_FIXTURE, REPORT_NOW } from './support/report-fixture.js';

let store: Awaited<ReturnType<typeof temporaryDir>>;
const window = ['--since', new Date(DAY_START).toISOString(), '--until', new Date(DAY_END).toISOString()];
const run = (...argv: string[]) => cli(['--local', store.path, ...argv], { now: REPORT_NOW });

beforeAll(async () => {
  store = await temporaryDir();
  await writeLocalStore(store.path, REPORT_FIXTURE);
});
afterAll(() => store.remove());

describe('report', () => {
  it('matches the figures worked out by hand', async () => {
    const rows = json<Record<string, unknown>[]>(await run('report', ...window, '--json'));
    expect(rows.map(({ registry, from, to, availability, ...rest }) => ({ ...rest, availability: Number((availability as number).toFixed(6)) }))).toEqual(
      EXPECTED_FIGURES.map((figures) => ({ ...figures, availability: Number(figures.availability.toFixed(6)) })),
    );
    expect(new Set(rows.map((row) => [row.registry, row.from, row.to].join(' ')))).toEqual(
      new Set([`prod ${new Date(DAY_START).toISOString()} ${new Date(DAY_END).toISOString()}`]),
    );
  });

  it('prints the same figures as a table, availability rounded down', async () => {
    const { code, stdout } = await run('report', ...window);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REGISTRY\s+EXPORTER\s+AVAILABILITY\s+RUNNING\s+WATCHED\s+INCIDENTS\s+RECOVERED\s+MEAN TTR\s+WORST TTR\s+OPEN NOW$/);
    expect(lines.find((line) => line.includes('orders-link'))).toMatch(/orders-link\s+60\.86%\s+14h\s+23h\s+2\s+1\s+6h\s+6h\s+0$/);
    expect(lines.find((line) => line.includes('search-link'))).toMatch(/search-link\s+82\.60%\s+19h\s+23h\s+2\s+1\s+1h 30m\s+1h 30m\s+1$/);
    expect(lines.find((line) => line.includes('new-link'))).toMatch(/new-link\s+83\.33%\s+5h\s+6h\s+1\s+1\s+1h\s+1h\s+0$/);
    expect(stdout).not.toContain('old-link');
  });

  it('narrows to one exporter, read from its own history partition', async () => {
    const rows = json<{ exporter: string; availability: number }[]>(await run('report', ...window, '--registry', 'prod', '--exporter', 'orders-link', '--json'));
    expect(rows).toEqual([expect.objectContaining({ exporter: 'orders-link', availability: 14 / 23 })]);
  });
});

describe('incidents', () => {
  it('lists every incident open at some time in the window, newest first, with its real end', async () => {
    const incidents = json<{ id: string; exporter: string | null; closedAt: string | null; open: boolean; durationMs: number; cause: string }[]>(
      await run('incidents', ...window, '--json'),
    );
    expect(incidents.map((incident) => incident.id)).toEqual(EXPECTED_INCIDENTS);
    const byId = new Map(incidents.map((incident) => [incident.id, incident]));
    // a2 opened in the window and recovered after it: its end is known because history is read up to now.
    expect(byId.get('inc-a2')).toMatchObject({ closedAt: new Date(DAY_END + 2 * 3_600_000).toISOString(), open: false, durationMs: 6 * 3_600_000 });
    expect(byId.get('inc-c2')).toMatchObject({ open: true, closedAt: null, durationMs: REPORT_NOW - (DAY_START + 22 * 3_600_000) });
    expect(byId.get('inc-r1')).toMatchObject({ exporter: null, cause: 'DEGRADED' });
    expect(byId.get('inc-e1')).toMatchObject({ exporter: 'old-link', open: true, cause: 'MISSING' });
    expect(byId.get('inc-a1')!.cause).toMatch(/^PAUSED: io\.confluent.*error code: 42205$/);
  });

  it('--open lists the incidents open now, from the current records', async () => {
    const incidents = json<{ id: string }[]>(await run('incidents', '--open', '--json'));
    expect(incidents.map((incident) => incident.id)).toEqual(['inc-c2', 'inc-e1']);
  });

  it('shortens Java class names in the table but not in CSV', async () => {
    const table = await run('incidents', ...window, '--exporter', 'orders-link');
    expect(table.stdout).toContain('PAUSED: RestClientException: Subject');
    const csv = await run('incidents', ...window, '--exporter', 'orders-link', '--format', 'csv');
    expect(csv.stdout).toContain('PAUSED: io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject');
  });
});

describe('report of a registry watched for a short while', () => {
  const T0 = Date.UTC(2026, 10, 20, 9);
  const gone = { id: 'inc-gone', openedAt: T0 + 2 * HOUR };
  let lab: Awaited<ReturnType<typeof temporaryDir>>;
  const runLab = (now: number, ...argv: string[]) => cli(['--local', lab.path, ...argv], { now });

  beforeAll(async () => {
    lab = await temporaryDir();
    await writeLocalStore(lab.path, {
      runs: [{ registryId: 'lab', at: T0 + 8 * HOUR }],
      records: [record('lab', 'steady-link', 'RUNNING', T0)],
      events: [
        // Deleted at 2 h; someone ran `forget` for it at 5 h: its record is gone, its history stays.
        event({ registryId: 'lab', exporterName: 'gone-link', type: 'disappeared', at: T0 + 2 * HOUR, previousState: 'RUNNING', state: 'MISSING', incident: gone }),
        event({ registryId: 'lab', exporterName: 'gone-link', type: 'forgotten', at: T0 + 5 * HOUR, since: T0 + 2 * HOUR, previousState: 'MISSING', state: 'MISSING', incident: gone, durationMs: 3 * HOUR, notify: false }),
      ],
    });
  });
  afterAll(() => lab.remove());

  it('without --since, starts the window at the first thing the monitor knows of, not 7 days back', async () => {
    const [row] = json<{ from: string; to: string }[]>(await runLab(T0 + 8 * HOUR, 'report', '--json', '--exporter', 'steady-link'));
    expect(row).toMatchObject({ from: new Date(T0).toISOString(), to: new Date(T0 + 8 * HOUR).toISOString() });
    // Never further back than 7 days, never shorter than 10 minutes.
    const late = json<{ from: string }[]>(await runLab(T0 + 30 * 24 * HOUR, 'report', '--json', '--exporter', 'steady-link'));
    expect(late[0]!.from).toBe(new Date(T0 + 23 * 24 * HOUR).toISOString());
    const early = json<{ from: string }[]>(await runLab(T0 + 60_000, 'report', '--json', '--exporter', 'steady-link'));
    expect(early[0]!.from).toBe(new Date(T0 + 60_000 - 10 * 60_000).toISOString());
    // Asked for, the window is what was asked.
    const asked = json<{ from: string }[]>(await runLab(T0 + 8 * HOUR, 'report', '--since', '2d', '--json', '--exporter', 'steady-link'));
    expect(asked[0]!.from).toBe(new Date(T0 - 40 * HOUR).toISOString());
  });

  it('a forgotten exporter ends its incident without a recovery, and is not watched after', async () => {
    const rows = json<{ exporter: string; watchedMs: number; runningMs: number; recoveries: number; meanTimeToRecoveryMs: number | null; openNow: number }[]>(
      await runLab(T0 + 8 * HOUR, 'report', '--json'),
    );
    expect(rows.find((row) => row.exporter === 'gone-link')).toMatchObject({ watchedMs: 5 * HOUR, runningMs: 2 * HOUR, recoveries: 0, meanTimeToRecoveryMs: null, openNow: 0 });
    const incidents = json<{ id: string; open: boolean; endedBy: string | null }[]>(await runLab(T0 + 8 * HOUR, 'incidents', '--json'));
    expect(incidents).toEqual([expect.objectContaining({ id: 'inc-gone', open: false, endedBy: 'forgotten' })]);
    const table = await runLab(T0 + 8 * HOUR, 'incidents');
    expect(table.stdout).toMatch(/inc-gone\s+2026-11-20 11:00:00Z\s+2026-11-20 14:00:00Z \(forgotten\)/);
  });
});
