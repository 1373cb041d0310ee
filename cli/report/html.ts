/**
 * `report --html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) that
 * shows a window at a glance: a state timeline per exporter, the figures, and the incidents.
 * Exporter names, states and causes come from the registry, so every text is escaped.
 */
import { healthOf } from '../../lambda/core/decide.js';
import { MISSING } from '../../lambda/core/model.js';
import { incidentColumns } from '../incident-list.js';
import type { Column } from '../output.js';
import { formatDuration, formatTime } from '../time.js';
import { FIGURE_COLUMNS, percent, type Report } from './figures.js';

export interface PageContext {
  readonly now: number;
  /** Where the data came from (table and region, or the local store). */
  readonly source: string;
}

/** The SVG bars are this many user units wide; the browser stretches them to the page. */
const BAR_WIDTH = 1000;
const DAY = 86_400_000;
const MINUTE = 60_000;
const TICK_STEPS = [5, 10, 15, 30, 60, 180, 360, 720, 1440, 2880, 10080].map((minutes) => minutes * MINUTE);
const MAX_TICKS = 14;

export function reportHtml(report: Report, page: PageContext): string {
  const { window } = report;
  const title = `Schema exporters, ${formatTime(window.from)} to ${formatTime(window.to)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p class="meta">${escape(formatDuration(window.to - window.from))} window · ${escape(page.source)} · generated ${escape(formatTime(page.now))}</p>
${summary(report)}
</header>
<section>
<h2>State timeline</h2>
${legend(report)}
${timeline(report)}
</section>
<section>
<h2>Figures</h2>
${table(report.exporters, FIGURE_COLUMNS, 'No exporter was watched in this window.')}
</section>
<section>
<h2>Incidents</h2>
${table(report.incidents, incidentColumns(page.now), 'No incidents in this window.')}
</section>
</body>
</html>
`;
}

function summary(report: Report): string {
  const watched = report.exporters.reduce((total, e) => total + e.watchedMs, 0);
  const running = report.exporters.reduce((total, e) => total + e.runningMs, 0);
  const opened = report.exporters.reduce((total, e) => total + e.opened, 0);
  const open = report.incidents.filter((incident) => incident.closedAt === undefined).length;
  const figures: [string, string][] = [
    ['exporters', String(report.exporters.length)],
    ['time running', watched > 0 ? percent(running / watched) : '–'],
    ['incidents opened', String(opened)],
    ['open now', String(open)],
  ];
  return `<dl class="summary">${figures.map(([label, value]) => `<div><dt>${label}</dt><dd>${escape(value)}</dd></div>`).join('')}</dl>`;
}

function legend(report: Report): string {
  const states = [...new Set(report.exporters.flatMap((e) => e.segments.flatMap((s) => (s.state === undefined ? [] : [s.state]))))].sort();
  const items = [...states, ''].map((state) => `<li><span class="swatch" style="background:${fill(state)}"></span>${escape(state || 'not watched')}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function timeline(report: Report): string {
  if (report.exporters.length === 0) return '<p class="empty">No exporter was watched in this window.</p>';
  const { from, to } = report.window;
  const x = (at: number) => ((at - from) / (to - from)) * BAR_WIDTH;
  const ticks = tickTimes(from, to);
  const grid = ticks.map((at) => `<line x1="${x(at).toFixed(2)}" x2="${x(at).toFixed(2)}" y1="0" y2="20" class="tick"/>`).join('');
  const rows = report.exporters.map((exporter) => {
    // Time not watched is left undrawn: the bar's background shows through.
    const rects = exporter.segments.flatMap(({ state, from: start, to: end }) => {
      if (state === undefined) return [];
      const label = `${state}: ${formatTime(start)} to ${formatTime(end)} (${formatDuration(end - start)})`;
      return `<rect class="segment" data-state="${escape(state)}" x="${x(start).toFixed(2)}" width="${(x(end) - x(start)).toFixed(2)}" y="0" height="20" fill="${fill(state)}"><title>${escape(label)}</title></rect>`;
    });
    const name = `${exporter.registryId} / ${exporter.exporterName}`;
    return `<div class="name" title="${escape(name)}">${escape(name)}<small>${escape(exporter.availability === null ? '–' : percent(exporter.availability))} running</small></div>
<svg class="bar" role="img" aria-label="${escape(`${name} state timeline`)}" viewBox="0 0 ${BAR_WIDTH} 20" preserveAspectRatio="none">${rects.join('')}${grid}</svg>`;
  });
  const labels = ticks.map((at) => `<span style="left:${((x(at) / BAR_WIDTH) * 100).toFixed(3)}%">${escape(tickLabel(at, ticks))}</span>`);
  return `<div class="timeline">${rows.join('\n')}
<div></div><div class="axis">${labels.join('')}</div></div>`;
}

/** Ticks on round UTC hours or days, at most MAX_TICKS of them. */
function tickTimes(from: number, to: number): number[] {
  const step = TICK_STEPS.find((candidate) => (to - from) / candidate <= MAX_TICKS) ?? TICK_STEPS.at(-1)!;
  const ticks: number[] = [];
  for (let at = Math.ceil(from / step) * step; at <= to; at += step) ticks.push(at);
  return ticks;
}

/** Days alone when every tick falls on midnight; hours otherwise. */
function tickLabel(at: number, ticks: readonly number[]): string {
  const iso = new Date(at).toISOString();
  return ticks.every((tick) => tick % DAY === 0) ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function table<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escape(empty)}</p>`;
  const head = columns.map((c) => `<th${c.align ? ' class="num"' : ''}>${escape(c.header)}</th>`).join('');
  const cell = (column: Column<T>, row: T) => {
    const value = column.value(row);
    // The short form reads better; the full text stays one hover away.
    const brief = column.brief ? column.brief(value) : value;
    return `<td${column.align ? ' class="num"' : ''}${brief === value ? '' : ` title="${escape(value)}"`}>${escape(brief)}</td>`;
  };
  const body = rows.map((row) => `<tr>${columns.map((column) => cell(column, row)).join('')}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** Green RUNNING, amber on the way, red PAUSED, grey-brown MISSING, purple for states the registry may add later. */
function fill(state: string): string {
  if (state === '') return UNWATCHED;
  if (state === 'PAUSED') return '#c62828';
  if (state === MISSING) return '#6d4c41';
  const health = healthOf(state);
  return health === 'healthy' ? '#2e7d32' : health === 'transitional' ? '#f2a900' : '#7b1fa2';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const UNWATCHED = '#e8ebef';

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
body { margin: 2rem auto; max-width: 1200px; padding: 0 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .75rem; }
.meta { color: #59636e; margin: 0 0 1rem; }
.summary { display: flex; gap: 1rem; margin: 0; }
.summary div { border: 1px solid #d1d9e0; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.summary dt { color: #59636e; font-size: .8rem; }
.summary dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; margin: 0 0 .75rem; font-size: .85rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; margin-right: .35rem; vertical-align: -2px; }
.timeline { display: grid; grid-template-columns: minmax(12rem, 18rem) 1fr; gap: .35rem .75rem; align-items: center; }
.name { font-size: .85rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.name small { display: block; color: #59636e; }
.bar { width: 100%; height: 22px; display: block; background: ${UNWATCHED}; border-radius: 3px; }
.tick { stroke: #ffffff; stroke-opacity: .6; stroke-width: 1; vector-effect: non-scaling-stroke; }
.axis { position: relative; height: 1.2rem; font-size: .75rem; color: #59636e; }
.axis span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d1d9e0; vertical-align: top; white-space: nowrap; }
td:last-child { white-space: normal; overflow-wrap: anywhere; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.empty { color: #59636e; }
`;
