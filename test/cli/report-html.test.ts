/**
 * The HTML report opened in a real browser: Debian's chromium, headless. The page itself has no
 * script; the test adds one to a copy, to read the laid-out timeline back out of the DOM.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { reportHtml } from '../../cli/report/html.js';
import { cli, HOUR, temporaryDir, writeLocalStore } from './support/harness.js';
import { DAY_END, DAY_START, REPORT_FIXTURE, REPORT_NOW } from './support/report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
let dir: Awaited<ReturnType<typeof temporaryDir>>;
let page: string;

beforeAll(async () => {
  dir = await temporaryDir();
  await writeLocalStore(join(dir.path, 'store'), REPORT_FIXTURE);
  page = join(dir.path, 'report.html');
  const window = ['--since', new Date(DAY_START).toISOString(), '--until', new Date(DAY_END).toISOString()];
  const result = await cli(['--local', join(dir.path, 'store'), 'report', ...window, '--html', page], { now: REPORT_NOW });
  expect(result.code).toBe(0);
  expect(result.stderr).toBe(`Wrote ${page}\n`);
});
afterAll(() => dir.remove());

it('is one self-contained page: no script, nothing loaded from elsewhere, links only within the page', async () => {
  const html = await readFile(page, 'utf8');
  expect(html).not.toMatch(/<script|<link|<img|\bsrc=|@import/i);
  // The one url() is the blind-time hatch, defined in the page itself.
  expect(html.match(/url\([^)]*\)/g)).toEqual(expect.arrayContaining(['url(#blind)']));
  expect(new Set(html.match(/url\([^)]*\)/g))).toEqual(new Set(['url(#blind)']));
  expect(html.match(/href="[^"]*"/g)!.every((href) => href.startsWith('href="#'))).toBe(true);
  expect(html.match(/<svg class="bar exporter"/g)).toHaveLength(5);
  expect(html.match(/<svg class="bar registry"/g)).toHaveLength(1);
});

it('escapes the names, states and causes that come from the registry', () => {
  const hostile = `<img src=x onerror=alert(1)>&"'`;
  const exporter = {
    ...{ registryId: hostile, exporterName: hostile, segments: [{ from: 0, to: HOUR, state: hostile }], watchedMs: HOUR, runningMs: 0, availability: 0 },
    ...{ opened: 1, recoveries: [], meanRecoveryMs: null, worstRecoveryMs: null, openNow: 1, markers: [{ at: 0, kind: 'muted' as const, severity: 'critical' as const, label: hostile }] },
  };
  const html = reportHtml(
    {
      window: { from: 0, to: HOUR },
      exporters: [exporter],
      registries: [{ registryId: hostile, segments: [], blindMs: 0, markers: [], silences: [{ registryId: hostile, exporterName: hostile, until: HOUR, reason: hostile }], exporters: [exporter] }],
      incidents: [{ registryId: hostile, exporterName: hostile, id: hostile, openedAt: 0, cause: hostile }],
    },
    { now: HOUR, source: hostile },
  );
  expect(html).not.toContain('<img');
  // Title, source, registry row, exporter row and label, segment, marker, silence, both tables.
  expect(html.split('&#60;img src=x onerror=alert(1)&#62;&#38;&#34;&#39;').length - 1).toBeGreaterThanOrEqual(12);
  // Anchors are positions, never registry text.
  expect(html.match(/ id="[^"]*"/g)).toEqual([' id="blind"', ' id="registry-0"', ' id="exporter-0-0"', ' id="incident-0"']);
});

function chromium(width: number, ...args: string[]) {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
  flags.push('--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir.path, 'profile')}`, `--window-size=${width},900`);
  return promisify(execFile)(CHROMIUM, [...flags, ...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Measures every row, segment, marker and axis label after layout, follows every in-page link,
 * scrolls into the timeline to see whether the axis stays, and collects any error the page raises.
 */
const PROBE = `<script>
window.addEventListener('error', (event) => document.body.dataset.errors = (document.body.dataset.errors || '') + event.message);
window.addEventListener('load', () => {
  const rows = [...document.querySelectorAll('.timeline .name')].map((name) => {
    const lane = name.nextElementSibling;
    const svg = lane.querySelector('svg.bar');
    const box = svg.getBoundingClientRect();
    const x = (element) => { const r = element.getBoundingClientRect(); return (r.x + r.width / 2 - box.x) / box.width; };
    const segments = [...svg.querySelectorAll('rect.segment')].map((rect) => {
      const r = rect.getBoundingClientRect();
      return { state: rect.dataset.state, from: (r.x - box.x) / box.width, share: r.width / box.width, height: r.height };
    });
    const markers = [...lane.querySelectorAll('.marker')].map((marker) => ({ kind: marker.classList[1], at: x(marker) }));
    const now = lane.querySelector('.now');
    return { id: name.id, text: name.textContent, kind: svg.classList[1], width: box.width, height: box.height, segments, markers, now: now ? (now.getBoundingClientRect().x - box.x) / box.width : null };
  });
  const labels = [...document.querySelectorAll('.axis span')].map((span) => { const r = span.getBoundingClientRect(); return { text: span.textContent, left: r.left, right: r.right }; });
  const links = [...document.querySelectorAll('a[href^="#"]')].map((a) => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    return { text: a.textContent, row: a.closest('tr') ? a.closest('tr').id : null, target: target ? target.textContent : null };
  });
  const timeline = document.querySelector('.timeline').getBoundingClientRect();
  window.scrollTo(0, timeline.top + window.scrollY + 120);
  const axisTop = document.querySelector('.axis').getBoundingClientRect().top;
  document.body.dataset.layout = JSON.stringify({ rows, labels, links, axisTop, pageWidth: document.documentElement.clientWidth });
});
</script>`;

interface Row {
  readonly id: string;
  readonly text: string;
  readonly kind: 'registry' | 'exporter';
  readonly width: number;
  readonly height: number;
  readonly segments: readonly { state: string; from: number; share: number; height: number }[];
  readonly markers: readonly { kind: string; at: number }[];
  readonly now: number | null;
}
interface Layout {
  readonly rows: readonly Row[];
  readonly labels: readonly { text: string; left: number; right: number }[];
  readonly links: readonly { text: string; row: string | null; target: string | null }[];
  readonly axisTop: number;
  readonly pageWidth: number;
}

/** The page laid out in Chromium `width` pixels wide. */
async function layoutOf(file: string, width: number): Promise<Layout> {
  const probed = `${file}.${width}.probed.html`;
  await writeFile(probed, (await readFile(file, 'utf8')).replace('</body>', `${PROBE}</body>`));
  const { stdout } = await chromium(width, '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(probed).href);
  const attribute = (name: string) => /<body[^>]*>/.exec(stdout)![0].match(new RegExp(`data-${name}="([^"]*)"`))?.[1];
  expect(attribute('errors')).toBeUndefined();
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(unescape(attribute('layout')!)) as Layout;
}

const hours = (h: number) => expect.closeTo(h / 24, 2);
const rowNamed = (layout: Layout, name: string) => layout.rows.find((row) => row.text.startsWith(name))!;

if (!haveChromium) console.warn(`Skipping the HTML report's browser tests: ${CHROMIUM} is absent (apt-get install -y chromium)`);
const describeInBrowser = haveChromium ? describe : describe.skip;
describeInBrowser(haveChromium ? 'in headless Chromium' : `in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`, () => {
  let wide: Layout;
  beforeAll(async () => {
    wide = await layoutOf(page, 1280);
  }, 90_000);

  it('draws the registry first, then its exporters worst first, segments in proportion to time', () => {
    expect(wide.rows.map((row) => `${row.kind} ${row.text.split(/\d/)[0]!.trim()}`)).toEqual([
      'registry prodreads failing',
      'exporter search-link',
      'exporter orders-link',
      'exporter new-link',
      'exporter late-link',
      'exporter payments-link',
    ]);
    for (const row of wide.rows) {
      expect(row.width).toBeGreaterThan(500);
      for (const segment of row.segments) expect(segment.height).toBeCloseTo(row.height, 0);
    }
    // orders-link: RUNNING 2 h, PAUSED 2 h, unknown 1 h (the registry could not be read), PAUSED 3 h, RUNNING 12 h, PAUSED 4 h, edge to edge.
    const orders = rowNamed(wide, 'orders-link');
    expect(orders.segments.map((s) => s.state)).toEqual(['RUNNING', 'PAUSED', 'unknown', 'PAUSED', 'RUNNING', 'PAUSED']);
    expect(orders.segments.map((s) => s.share)).toEqual([2, 2, 1, 3, 12, 4].map(hours));
    expect(orders.segments[0]!.from).toBeCloseTo(0, 2);
    // new-link was first seen at 18:00: nothing is drawn before it.
    const fresh = rowNamed(wide, 'new-link');
    expect(fresh.segments.map((s) => s.state)).toEqual(['PAUSED', 'RUNNING']);
    expect(fresh.segments[0]!.from).toEqual(hours(18));
  });

  it('draws the hour the monitor could not read the registry as unknown on every exporter watched then', () => {
    const registry = wide.rows[0]!;
    expect(registry.segments.map((s) => [s.state, s.from, s.share])).toEqual([
      ['OK', hours(0), hours(4)],
      ['DEGRADED', hours(4), hours(1)],
      ['OK', hours(5), hours(19)],
    ]);
    const payments = rowNamed(wide, 'payments-link');
    expect(payments.segments.map((s) => [s.state, s.from, s.share])).toEqual([
      ['RUNNING', hours(0), hours(4)],
      ['unknown', hours(4), hours(1)],
      ['RUNNING', hours(5), hours(19)],
    ]);
    // Not watched yet at 04:00: nothing to be blind to.
    for (const name of ['late-link', 'new-link']) expect(rowNamed(wide, name).segments.map((s) => s.state)).not.toContain('unknown');
  });

  it('pins the alerts sent, the alerts a silence held back and the auto-resume attempts where they happened', () => {
    const minutes = (m: number) => m / 60;
    expect(rowNamed(wide, 'orders-link').markers).toEqual(
      [2 + minutes(2), 6 + minutes(2), 8, 20 + minutes(1)].map((h) => ({ kind: 'alert', at: hours(h) })),
    );
    const search = rowNamed(wide, 'search-link');
    expect(search.markers.filter((m) => m.kind !== 'alert')).toEqual([
      { kind: 'resume', at: hours(22.5) },
      { kind: 'muted', at: hours(23.5) },
    ]);
    expect(search.text).toContain('silenced until 2026-11-21 08:00:00Z');
    expect(wide.rows[0]!.markers).toEqual([4 + minutes(2), 5].map((h) => ({ kind: 'alert', at: hours(h) })));
  });

  it('links every incident to its timeline row, and an exporter with an open incident to it', () => {
    const fromIncidents = wide.links.filter((link) => link.row?.startsWith('incident-'));
    expect(fromIncidents.map((link) => link.text)).toEqual(['search-link', 'orders-link', 'new-link', 'search-link', '(registry)', 'orders-link']);
    for (const link of fromIncidents) expect(link.target).toContain(link.text === '(registry)' ? 'prod' : link.text);
    const toIncident = wide.links.find((link) => link.text === '1 open')!;
    expect(toIncident.target).toContain('inc-c2');
  });

  it.each([1280, 800])('labels the time axis without overlaps at %i px wide, and keeps it in view while scrolling', async (width) => {
    const layout = width === 1280 ? wide : await layoutOf(page, width);
    expect(layout.labels.map((label) => label.text)).toEqual(['11-20 00:00', '06:00', '12:00', '18:00', '11-21 00:00']);
    for (const [index, label] of layout.labels.entries()) {
      expect(label.left).toBeGreaterThanOrEqual(0);
      expect(label.right).toBeLessThanOrEqual(layout.pageWidth);
      if (index > 0) expect(label.left).toBeGreaterThan(layout.labels[index - 1]!.right + 4);
    }
    expect(layout.axisTop).toBeCloseTo(0, 0);
  }, 90_000);

  it('marks now, in a window that fits the data when none is asked for', async () => {
    // The fixture's window ended six hours before the report: no now line there.
    expect(wide.rows.every((row) => row.now === null)).toBe(true);
    const fitted = join(dir.path, 'fitted.html');
    expect((await cli(['--local', join(dir.path, 'store'), 'report', '--html', fitted], { now: REPORT_NOW })).code).toBe(0);
    const layout = await layoutOf(fitted, 1280);
    for (const row of layout.rows) expect(row.now).toBeCloseTo(1, 2);
    expect(layout.labels.map((label) => label.text)).toContain('now');
  }, 90_000);

  it('takes a screenshot that is not blank', async () => {
    const screenshot = join(dir.path, 'report.png');
    await chromium(1280, '--hide-scrollbars', `--screenshot=${screenshot}`, pathToFileURL(page).href);
    expect((await stat(screenshot)).size).toBeGreaterThan(20_000);
  }, 90_000);
});
