import { cli, json, temporaryDir, writeLocalStore } from './support/harness.js';
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
    expect(lines.find((line) => line.includes('orders-link'))).toMatch(/orders-link\s+58\.33%\s+14h\s+1d\s+2\s+1\s+6h\s+6h\s+0$/);
    expect(lines.find((line) => line.includes('search-link'))).toMatch(/search-link\s+83\.33%\s+20h\s+1d\s+2\s+1\s+1h 30m\s+1h 30m\s+1$/);
    expect(lines.find((line) => line.includes('new-link'))).toMatch(/new-link\s+83\.33%\s+5h\s+6h\s+1\s+1\s+1h\s+1h\s+0$/);
    expect(stdout).not.toContain('old-link');
  });

  it('narrows to one exporter, read from its own history partition', async () => {
    const rows = json<{ exporter: string; availability: number }[]>(await run('report', ...window, '--registry', 'prod', '--exporter', 'orders-link', '--json'));
    expect(rows).toEqual([expect.objectContaining({ exporter: 'orders-link', availability: 14 / 24 })]);
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
