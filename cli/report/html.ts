/**
 * `report --html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) for an
 * on-call engineer: per registry, whether the monitor could read it, then each exporter's states,
 * worst first, with the alerts, held-back alerts and auto-resume attempts pinned where they
 * happened; time the monitor could not see is drawn as unknown, never as the last state known.
 * Exporter names, states and causes come from the registry, so every text is escaped.
 */
import { healthOf } from '../../lambda/core/decide.js';
import { DRIFTED, MISSING, REGISTRY_DEGRADED, REGISTRY_OK, type Silence, STALLED } from '../../lambda/core/model.js';
import { incidentColumns, type IncidentView } from '../incident-list.js';
import type { Column } from '../output.js';
import { formatDuration, formatTime } from '../time.js';
import { axisTicks } from './axis.js';
import { FIGURE_COLUMNS, type ExporterFigures, percent, type RegistryFigures, type Report } from './figures.js';
import { MARKER_KINDS, MARKER_MEANING, type Marker } from './markers.js';
import type { Segment } from './timeline.js';

export interface PageContext {
  readonly now: number;
  /** Where the data came from (table and region, or the local store). */
  readonly source: string;
}

/** The SVG bars are this many user units wide; the browser stretches them to the page. */
const BAR_WIDTH = 1000;
const BAR_HEIGHT = 20;

/** In-page anchors: rows and incidents get ids by position, so no registry text ends up in an id. */
interface Anchors {
  readonly rowOf: Map<string, string>;
  readonly incidentOf: Map<string, string>;
}

const subjectKey = (registryId: string, exporterName?: string) => `${registryId}\u0000${exporterName ?? ''}`;

export function reportHtml(report: Report, page: PageContext): string {
  const { window } = report;
  const title = `Schema exporters, ${formatTime(window.from)} to ${formatTime(window.to)}`;
  const anchors = anchorsOf(report);
  const grouped = report.registries.flatMap((registry) => registry.exporters);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${PATTERNS}
<header>
<h1>${escape(title)}</h1>
<p class="meta">${escape(formatDuration(window.to - window.from))} window · ${escape(page.source)} · generated ${escape(formatTime(page.now))}</p>
${summary(report)}
</header>
<section>
<h2>State timeline</h2>
${legend(report)}
${timeline(report, page.now, anchors)}
</section>
<section>
<h2>Figures</h2>
${table(grouped, FIGURE_COLUMNS, 'No exporter was watched in this window.', { link: (row) => anchors.rowOf.get(subjectKey(row.registryId, row.exporterName)) })}
</section>
<section>
<h2>Incidents</h2>
${table(report.incidents, incidentColumns(page.now), 'No incidents in this window.', {
  id: (incident) => anchors.incidentOf.get(incident.id),
  link: (incident) => anchors.rowOf.get(subjectKey(incident.registryId, incident.exporterName)),
})}
</section>
</body>
</html>
`;
}

function anchorsOf(report: Report): Anchors {
  const rowOf = new Map<string, string>();
  report.registries.forEach((registry, r) => {
    rowOf.set(subjectKey(registry.registryId), `registry-${r}`);
    registry.exporters.forEach((exporter, e) => rowOf.set(subjectKey(exporter.registryId, exporter.exporterName), `exporter-${r}-${e}`));
  });
  return { rowOf, incidentOf: new Map(report.incidents.map((incident, index) => [incident.id, `incident-${index}`])) };
}

function summary(report: Report): string {
  const watched = report.exporters.reduce((total, e) => total + e.watchedMs, 0);
  const running = report.exporters.reduce((total, e) => total + e.runningMs, 0);
  const opened = report.exporters.reduce((total, e) => total + e.opened, 0);
  const open = report.incidents.filter((incident) => incident.closedAt === undefined).length;
  const blind = report.registries.reduce((total, r) => total + r.blindMs, 0);
  const figures: [string, string][] = [
    ['exporters', String(report.exporters.length)],
    ['time running', watched > 0 ? percent(running / watched) : '–'],
    ['incidents opened', String(opened)],
    ['open now', String(open)],
    ['monitor blind', blind > 0 ? formatDuration(blind) : 'never'],
  ];
  return `<dl class="summary">${figures.map(([label, value]) => `<div><dt>${label}</dt><dd>${escape(value)}</dd></div>`).join('')}</dl>`;
}

function legend(report: Report): string {
  const { exporters } = report;
  const states = [...new Set(exporters.flatMap((e) => e.segments.flatMap((s) => (s.state === undefined || s.blind ? [] : [s.state]))))].sort();
  const blind = exporters.some((e) => e.segments.some((s) => s.blind));
  const kinds = MARKER_KINDS.filter((kind) => [...exporters, ...report.registries].some((row) => row.markers.some((marker) => marker.kind === kind)));
  const items = [
    ...states.map((state) => `<li><span class="swatch" style="background:${fill(state)}"></span>${escape(state)}</li>`),
    ...(blind ? ['<li><span class="swatch blind"></span>unknown: the monitor could not read the registry</li>'] : []),
    `<li><span class="swatch" style="background:${UNWATCHED}"></span>not watched</li>`,
    ...kinds.map((kind) => `<li><span class="marker ${kind}"></span>${escape(MARKER_MEANING[kind])}</li>`),
  ];
  return `<ul class="legend">${items.join('')}</ul>`;
}

function timeline(report: Report, now: number, anchors: Anchors): string {
  if (report.registries.length === 0) return '<p class="empty">No exporter was watched in this window.</p>';
  const { window } = report;
  const ticks = axisTicks(window.from, window.to);
  const share = (at: number) => (at - window.from) / (window.to - window.from);
  const nowShown = now >= window.from && now <= window.to;
  const labels = ticks.map(({ at, label }) => `<span class="${edgeClass(share(at))}" style="left:${pct(share(at))}">${escape(label)}</span>`);
  if (nowShown) labels.push(`<span class="now-label ${edgeClass(share(now))}" style="left:${pct(share(now))}">now</span>`);
  const grid = ticks.map(({ at }) => `<line x1="${(share(at) * BAR_WIDTH).toFixed(2)}" x2="${(share(at) * BAR_WIDTH).toFixed(2)}" y1="0" y2="${BAR_HEIGHT}" class="tick"/>`).join('');
  const overlay = nowShown ? `<span class="now" style="left:${pct(share(now))}"></span>` : '';
  const bar = (label: string, segments: readonly Segment[], markers: readonly Marker[], kind: string, blindNote: string) => {
    const rects = segments.flatMap((segment) => rect(segment, share, blindNote));
    const pins = markers.map((marker) => `<span class="marker ${marker.kind} ${marker.severity}" style="left:${pct(share(marker.at))}" title="${escape(marker.label)}"></span>`);
    return `<div class="lane"><svg class="bar ${kind}" role="img" aria-label="${escape(label)}" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" preserveAspectRatio="none">${rects.join('')}${grid}</svg>${pins.join('')}${overlay}</div>`;
  };
  const groups = report.registries.map((registry) => {
    const blindNote = `the monitor could not read ${registry.registryId}`;
    const head = `<div class="name registry" id="${anchors.rowOf.get(subjectKey(registry.registryId))}" title="${escape(registry.registryId)}">${escape(registry.registryId)}<small>${escape(registryNote(registry))}</small>${silenced(registry.silences.filter((s) => s.exporterName === undefined))}</div>
${bar(`registry ${registry.registryId} reads`, registry.segments, registry.markers, 'registry', blindNote)}`;
    const rows = registry.exporters.map((exporter) => {
      const name = `${exporter.registryId} / ${exporter.exporterName}`;
      const silences = registry.silences.filter((s) => s.exporterName === exporter.exporterName);
      return `<div class="name" id="${anchors.rowOf.get(subjectKey(exporter.registryId, exporter.exporterName))}" title="${escape(name)}">${escape(exporter.exporterName)}<small>${exporterNote(exporter, report.incidents, anchors)}</small>${silenced(silences)}</div>
${bar(`${name} state timeline`, exporter.segments, exporter.markers, 'exporter', blindNote)}`;
    });
    return [head, ...rows].join('\n');
  });
  return `<div class="timeline">
<div class="axis-corner"></div><div class="axis">${labels.join('')}</div>
${groups.join('\n')}
</div>`;
}

/** `share` places a time on the window, from 0 to 1. */
function rect(segment: Segment, share: (at: number) => number, blindNote: string): string[] {
  // Time not watched is left undrawn: the bar's background shows through.
  if (segment.state === undefined) return [];
  const { from, to, state } = segment;
  const x = (at: number) => share(at) * BAR_WIDTH;
  const what = segment.blind ? `unknown (last known ${state}; ${blindNote})` : state;
  const label = `${what}: ${formatTime(from)} to ${formatTime(to)} (${formatDuration(to - from)})`;
  const paint = segment.blind ? 'url(#blind)' : fill(state);
  const shown = segment.blind ? 'unknown' : state;
  return [
    `<rect class="segment" data-state="${escape(shown)}" x="${x(from).toFixed(2)}" width="${(x(to) - x(from)).toFixed(2)}" y="0" height="${BAR_HEIGHT}" fill="${paint}"><title>${escape(label)}</title></rect>`,
  ];
}

function registryNote(registry: RegistryFigures): string {
  const reads = registry.blindMs > 0 ? `reads failing ${formatDuration(registry.blindMs)}` : 'read every run';
  return registry.lastRunAt === undefined ? reads : `${reads} · last run ${formatTime(registry.lastRunAt)}`;
}

/** Share running, and a link to the first incident still open. */
function exporterNote(exporter: ExporterFigures, incidents: readonly IncidentView[], anchors: Anchors): string {
  const running = `${exporter.availability === null ? '–' : percent(exporter.availability)} running`;
  const open = incidents.find((i) => i.closedAt === undefined && i.registryId === exporter.registryId && i.exporterName === exporter.exporterName);
  if (open === undefined) return escape(running);
  return `${escape(running)} · <a href="#${anchors.incidentOf.get(open.id)}">${exporter.openNow} open</a>`;
}

function silenced(silences: readonly Silence[]): string {
  return silences.map((s) => `<small class="silenced" title="${escape(s.reason)}">silenced until ${escape(formatTime(s.until))}</small>`).join('');
}

/** Ids and names stay on one line, times break only at their space, longer text (causes) anywhere. */
const WRAP_AFTER = 24;

interface TableOptions<T> {
  /** The row's own anchor. */
  readonly id?: (row: T) => string | undefined;
  /** Where the EXPORTER cell leads: the row's timeline. */
  readonly link?: (row: T) => string | undefined;
}

function table<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string, options: TableOptions<T> = {}): string {
  if (rows.length === 0) return `<p class="empty">${escape(empty)}</p>`;
  const head = columns.map((c) => `<th${c.align ? ' class="num"' : ''}>${escape(c.header)}</th>`).join('');
  const cell = (column: Column<T>, row: T) => {
    const value = column.value(row);
    // The short form reads better; the full text stays one hover away.
    const brief = column.brief ? column.brief(value) : value;
    const target = column.header === 'EXPORTER' ? options.link?.(row) : undefined;
    const kind = column.align ? 'num' : brief.length > WRAP_AFTER ? 'long' : /\s/.test(brief) ? 'words' : '';
    // A time breaks at its space, never at the hyphens of its date.
    const shown = kind === 'words' ? brief.split(' ').map((word) => `<span>${escape(word)}</span>`).join(' ') : escape(brief);
    const text = target === undefined ? shown : `<a href="#${target}">${shown}</a>`;
    return `<td${kind ? ` class="${kind}"` : ''}${brief === value ? '' : ` title="${escape(value)}"`}>${text}</td>`;
  };
  const body = rows.map((row) => {
    const id = options.id?.(row);
    return `<tr${id === undefined ? '' : ` id="${id}"`}>${columns.map((column) => cell(column, row)).join('')}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** Labels near an edge hang inwards, so the first and last stay on the page. */
function edgeClass(share: number): string {
  return share < 0.04 ? 'start' : share > 0.96 ? 'end' : '';
}

function pct(share: number): string {
  return `${(share * 100).toFixed(3)}%`;
}

/**
 * Green RUNNING, amber on the way, red PAUSED, orange STALLED, pink DRIFTED, grey-brown MISSING,
 * purple for states the registry may add later.
 */
function fill(state: string): string {
  if (state === 'PAUSED' || state === REGISTRY_DEGRADED) return '#c62828';
  if (state === STALLED) return '#e8590c';
  if (state === DRIFTED) return '#d6336c';
  if (state === MISSING) return '#6d4c41';
  if (state === REGISTRY_OK) return '#81c784';
  const health = healthOf(state);
  return health === 'healthy' ? '#2e7d32' : health === 'transitional' ? '#f2a900' : '#7b1fa2';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const UNWATCHED = '#e8ebef';

/** One hatch for blind time, shared by every bar. */
const PATTERNS = `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><pattern id="blind" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="#9aa4ae"/><rect width="4" height="8" fill="#cfd5db"/></pattern></defs></svg>`;

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
body { margin: 2rem auto; max-width: 1200px; padding: 0 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .75rem; }
a { color: #0550ae; }
.meta { color: #59636e; margin: 0 0 1rem; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; }
.summary div { border: 1px solid #d1d9e0; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.summary dt { color: #59636e; font-size: .8rem; }
.summary dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1rem; padding: 0; margin: 0 0 .75rem; font-size: .85rem; }
.legend .marker { position: static; display: inline-block; margin-right: .35rem; transform: none; vertical-align: -1px; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; margin-right: .35rem; vertical-align: -2px; }
.swatch.blind { background: repeating-linear-gradient(45deg, #9aa4ae 0 3px, #cfd5db 3px 6px); }
.timeline { display: grid; grid-template-columns: minmax(12rem, 18rem) 1fr; gap: .35rem .75rem; align-items: center; }
.axis-corner, .axis { position: sticky; top: 0; z-index: 2; background: #ffffff; align-self: stretch; }
.axis { height: 1.4rem; font-size: .75rem; color: #59636e; border-bottom: 1px solid #d1d9e0; }
.axis span { position: absolute; top: .2rem; transform: translateX(-50%); white-space: nowrap; }
.axis span.start { transform: none; }
.axis span.end { transform: translateX(-100%); }
.axis .now-label { top: auto; bottom: -1.3rem; color: #0550ae; font-weight: 600; }
.name { font-size: .85rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-left: 1rem; }
.name.registry { font-weight: 600; padding-left: 0; margin-top: .6rem; }
.name small { display: block; color: #59636e; font-weight: 400; }
.name small.silenced { color: #8250df; }
.lane { position: relative; }
.lane:has(.registry) { margin-top: .6rem; }
.bar { width: 100%; height: 22px; display: block; background: ${UNWATCHED}; border-radius: 3px; }
.bar.registry { height: 12px; }
.tick { stroke: #ffffff; stroke-opacity: .6; stroke-width: 1; vector-effect: non-scaling-stroke; }
.now { position: absolute; top: -3px; bottom: -3px; border-left: 2px solid #0550ae; }
.marker { position: absolute; top: -5px; width: 9px; height: 9px; transform: translateX(-50%) rotate(45deg); border: 1px solid #ffffff; box-sizing: border-box; }
.marker.alert { background: #1f2328; }
.marker.alert.critical { background: #c62828; }
.marker.muted { background: #ffffff; border: 2px solid #8250df; }
.marker.resume { background: #0550ae; border-radius: 50%; }
.marker.forgotten { background: #6d4c41; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d1d9e0; vertical-align: top; white-space: nowrap; }
td.words { white-space: normal; }
td.words span { white-space: nowrap; }
td.long { white-space: normal; overflow-wrap: anywhere; min-width: 10rem; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr:target { background: #fff8c5; }
.empty { color: #59636e; }
`;
