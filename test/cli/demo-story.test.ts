/** Every reading command against what the real monitor wrote while playing the `npm start` demo story. */
import { cli, json, temporaryDir } from './support/harness.js';
import { playDemoStory, STORY_END, STORY_START } from './support/demo-store.js';

let store: Awaited<ReturnType<typeof temporaryDir>>;
const NOW = STORY_END + 60 * 60_000;
const run = (...argv: string[]) => cli(['--local', store.path, ...argv], { now: NOW });
const story = ['--since', new Date(STORY_START).toISOString(), '--until', new Date(STORY_END).toISOString()];

beforeAll(async () => {
  store = await temporaryDir();
  await playDemoStory(store.path);
}, 60_000);
afterAll(() => store.remove());

it('status shows where the story ended: audit-link gone, the rest running and copying', async () => {
  const rows = json<{ exporter: string | null; state: string; incident: { cause: string } | null; lastCheck: string }[]>(await run('status', '--json'));
  expect(rows.map((row) => [row.exporter, row.state, row.incident?.cause ?? null])).toEqual([
    [null, 'OK', null],
    ['audit-link', 'MISSING', 'MISSING'],
    ['orders-link', 'RUNNING', null],
    ['payments-link', 'RUNNING', null],
    ['search-link', 'RUNNING', null],
  ]);
  expect(new Set(rows.map((row) => row.lastCheck))).toEqual(new Set([new Date(STORY_START + 34 * 60_000).toISOString()]));
});

it('history tells the story newest first, the one-check blip of payments-link excluded', async () => {
  const events = json<{ at: string; type: string; exporterName?: string }[]>(await run('history', ...story, '--json'));
  const times = events.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  // By minute of the story; events of the same minute in any order.
  expect(events.map((e) => `${(Date.parse(e.at) - STORY_START) / 60_000} ${e.exporterName ?? '(registry)'} ${e.type}`).sort()).toEqual([
    '10 audit-link disappeared',
    '11 orders-link reminder',
    '12 orders-link recovered',
    '12 search-link recovered',
    '17 payments-link stalled',
    '18 audit-link reminder',
    '18 orders-link drifted',
    '19 payments-link recovered',
    '20 orders-link recovered',
    '22 search-link auto-resumed',
    '22 search-link state-changed',
    '23 search-link recovered',
    '25 payments-link auto-resumed',
    '25 payments-link state-changed',
    '27 audit-link reminder',
    '27 payments-link auto-resumed',
    '3 orders-link state-changed',
    '30 payments-link auto-resumed',
    '33 payments-link auto-resume-gave-up',
    '34 payments-link recovered',
    '6 search-link stuck',
    '8 (registry) monitor-degraded',
    '9 (registry) monitor-recovered',
  ]);
});

it("the registries keep the story's clock: every exporter's last record (ts) is within the story, never after its event", async () => {
  const events = json<{ type: string; at: string; ts?: string | null }[]>(await run('history', ...story, '--json'));
  const stamped = events.filter((e) => typeof e.ts === 'string');
  expect(stamped.length).toBeGreaterThan(5);
  for (const e of stamped) {
    expect({ type: e.type, at: e.at, ts: e.ts, withinStory: Date.parse(e.ts!) >= STORY_START && Date.parse(e.ts!) <= Date.parse(e.at) }).toMatchObject({ withinStory: true });
  }
});

it('incidents and report agree on the story', async () => {
  const incidents = json<{ exporter: string | null; open: boolean; durationMs: number }[]>(await run('incidents', ...story, '--json'));
  expect(incidents.map((i) => [i.exporter, i.open, i.durationMs / 60_000])).toEqual([
    ['payments-link', false, 10],
    ['search-link', false, 2],
    ['orders-link', false, 3],
    ['payments-link', false, 3],
    ['audit-link', true, 86],
    [null, false, 2],
    ['orders-link', false, 10],
    ['search-link', false, 12],
  ]);
  const report = json<{ exporter: string; availability: number; incidentsOpened: number; worstTimeToRecoveryMs: number | null }[]>(await run('report', ...story, '--json'));
  expect(report.map((r) => [r.exporter, r.availability, r.incidentsOpened, r.worstTimeToRecoveryMs === null ? null : r.worstTimeToRecoveryMs / 60_000])).toEqual([
    // Minutes 7-9 the monitor could not read the registry: 33 of the 35 minutes were seen.
    ['audit-link', 7 / 33, 1, null],
    // Unavailable while PAUSED and while DRIFTED: a RUNNING exporter that does not deliver is not available.
    ['orders-link', 22 / 33, 2, 10],
    ['payments-link', 20 / 33, 2, 10],
    ['search-link', 21 / 33, 2, 12],
  ]);
});
