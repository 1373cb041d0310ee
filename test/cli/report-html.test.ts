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

it('is one self-contained page: no script, nothing loaded from elsewhere, names escaped', async () => {
  const html = await readFile(page, 'utf8');
  expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\bhref=|url\(|@import/i);
  expect(html.match(/<svg class="bar"/g)).toHaveLength(5);
  expect(html).toContain('prod / orders-link');
});

it('escapes the names, states and causes that come from the registry', () => {
  const hostile = `<img src=x onerror=alert(1)>&"'`;
  const html = reportHtml(
    {
      window: { from: 0, to: HOUR },
      exporters: [
        { registryId: 'prod', exporterName: hostile, segments: [{ from: 0, to: HOUR, state: hostile }], watchedMs: HOUR, runningMs: 0, availability: 0 },
      ].map((exporter) => ({ ...exporter, opened: 0, recoveries: [], meanRecoveryMs: null, worstRecoveryMs: null, openNow: 0 })),
      incidents: [{ registryId: 'prod', exporterName: hostile, id: 'inc-1', openedAt: 0, cause: hostile }],
    },
    { now: HOUR, source: hostile },
  );
  expect(html).not.toContain('<img');
  expect(html.split('&#60;img src=x onerror=alert(1)&#62;&#38;&#34;&#39;').length - 1).toBeGreaterThanOrEqual(6);
});

function chromium(...args: string[]) {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
  flags.push('--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir.path, 'profile')}`, '--window-size=1280,900');
  return promisify(execFile)(CHROMIUM, [...flags, ...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
}

/** Measures every bar and segment after layout, and collects any error the page raises. */
const PROBE = `<script>
window.addEventListener('error', (event) => document.body.dataset.errors = (document.body.dataset.errors || '') + event.message);
window.addEventListener('load', () => {
  const bars = [...document.querySelectorAll('svg.bar')].map((svg) => {
    const box = svg.getBoundingClientRect();
    const segments = [...svg.querySelectorAll('rect.segment')].map((rect) => {
      const r = rect.getBoundingClientRect();
      return { state: rect.dataset.state, x: r.x - box.x, width: r.width, height: r.height };
    });
    return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height, segments };
  });
  document.body.dataset.layout = JSON.stringify(bars);
});
</script>`;

interface Bar {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly segments: readonly { state: string; x: number; width: number; height: number }[];
}

if (!haveChromium) console.warn(`Skipping the HTML report's browser tests: ${CHROMIUM} is absent (apt-get install -y chromium)`);
const describeInBrowser = haveChromium ? describe : describe.skip;
describeInBrowser(haveChromium ? 'in headless Chromium' : `in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`, () => {
  it('renders a timeline per exporter, segments in proportion to time, without errors', async () => {
    const probed = join(dir.path, 'probed.html');
    await writeFile(probed, (await readFile(page, 'utf8')).replace('</body>', `${PROBE}</body>`));
    const { stdout } = await chromium('--virtual-time-budget=5000', '--dump-dom', pathToFileURL(probed).href);
    const attribute = (name: string) => /<body[^>]*>/.exec(stdout)![0].match(new RegExp(`data-${name}="([^"]*)"`))?.[1];
    expect(attribute('errors')).toBeUndefined();
    const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const bars = JSON.parse(unescape(attribute('layout')!)) as Bar[];

    expect(bars.map((bar) => bar.label)).toEqual(['late-link', 'new-link', 'orders-link', 'payments-link', 'search-link'].map((name) => `prod / ${name} state timeline`));
    for (const bar of bars) {
      expect(bar.width).toBeGreaterThan(500);
      expect(bar.height).toBeGreaterThan(10);
      for (const segment of bar.segments) expect(segment.height).toBeCloseTo(bar.height, 0);
    }
    const byName = new Map(bars.map((bar) => [bar.label.split(' ')[2], bar]));
    // orders-link: RUNNING 2 h, PAUSED 6 h, RUNNING 12 h, PAUSED 4 h, edge to edge.
    const orders = byName.get('orders-link')!;
    expect(orders.segments.map((s) => s.state)).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'PAUSED']);
    expect(orders.segments.map((s) => s.width / orders.width)).toEqual([2, 6, 12, 4].map((hours) => expect.closeTo(hours / 24, 2)));
    expect(orders.segments[0]!.x).toBeCloseTo(0, 0);
    // new-link was first seen at 18:00: nothing is drawn before it.
    const fresh = byName.get('new-link')!;
    expect(fresh.segments.map((s) => s.state)).toEqual(['PAUSED', 'RUNNING']);
    expect(fresh.segments[0]!.x / fresh.width).toBeCloseTo(18 / 24, 2);
  }, 90_000);

  it('takes a screenshot that is not blank', async () => {
    const screenshot = join(dir.path, 'report.png');
    await chromium('--hide-scrollbars', `--screenshot=${screenshot}`, pathToFileURL(page).href);
    expect((await stat(screenshot)).size).toBeGreaterThan(20_000);
  }, 90_000);
});
