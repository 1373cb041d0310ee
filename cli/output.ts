/**
 * One way to print rows in the three formats: a table for people (colour on a terminal), JSON for
 * scripts, CSV for spreadsheets. Commands describe their columns once and get all three.
 */
import Table from 'cli-table3';
import { type CliIo, type Colors, colorsFor } from './io.js';

export type Format = 'table' | 'json' | 'csv';
export const FORMATS: readonly Format[] = ['table', 'json', 'csv'];

export interface Column<T> {
  readonly header: string;
  /** The cell as plain text, in full (CSV keeps it all). */
  value(row: T): string;
  /** On a terminal, table cells longer than this end in an ellipsis; piped, they are kept whole for grep. */
  readonly maxWidth?: number;
  /** Shortens the table cell before cutting it (CSV and JSON keep the full text). */
  brief?(text: string): string;
  readonly align?: 'right';
  /** Colours the table cell. */
  color?(row: T, colors: Colors): (text: string) => string;
}

export interface Rendering<T> {
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  /** What `--format json` prints for a row. */
  json(row: T): unknown;
  /** Said instead of an empty table. */
  readonly empty: string;
}

export interface FormatOptions {
  readonly format: Format;
  readonly json?: boolean;
}

/** `--json` is short for `--format json`; commander has already checked `--format` against FORMATS. */
export function formatOf(options: FormatOptions): Format {
  return options.json ? 'json' : options.format;
}

export function render<T>(io: CliIo, format: Format, rendering: Rendering<T>): void {
  const { rows, columns } = rendering;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(rows.map((row) => rendering.json(row)), null, 2)}\n`);
    return;
  }
  if (format === 'csv') {
    const lines = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.value(row)))];
    io.stdout.write(lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n');
    return;
  }
  if (rows.length === 0) {
    io.stdout.write(`${rendering.empty}\n`);
    return;
  }
  const colors = colorsFor(io);
  const terminal = io.stdout.isTTY === true;
  // The full text of each cell (one line, each column's own limit on a terminal), then cut to fit.
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      return truncate(column.brief ? column.brief(value) : value, terminal ? column.maxWidth : undefined);
    }),
  );
  const widths = terminal && io.stdout.columns !== undefined ? fittedWidths(columns, cells, io.stdout.columns) : undefined;
  const table = new Table({
    head: columns.map((c) => colors.bold(c.header)),
    // Borderless, like kubectl: easy to read, and `grep` keeps whole rows.
    chars: Object.fromEntries(BORDER_CHARS.map((name) => [name, ''])),
    style: { 'padding-left': 0, 'padding-right': 2, head: [], border: [], compact: true },
    colAligns: columns.map((c) => c.align ?? 'left'),
  });
  rows.forEach((row, index) => {
    table.push(
      columns.map((column, at) => {
        const text = truncate(cells[index]![at]!, widths?.[at]);
        return column.color ? column.color(row, colors)(text) : text;
      }),
    );
  });
  io.stdout.write(`${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`);
}

const BORDER_CHARS = [
  'top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right',
  'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle',
] as const;

/** Space between columns (the table's right padding), which the last column does not need. */
const COLUMN_GAP = 2;
/** A column is never cut below this, nor below its header. */
const MIN_COLUMN = 8;

/**
 * Column widths that fit a terminal of `terminalWidth`: the widest column gives way first, one
 * character at a time, so a row never wraps. Piped output is never cut (widths undefined).
 */
function fittedWidths<T>(columns: readonly Column<T>[], cells: readonly (readonly string[])[], terminalWidth: number): number[] {
  const widths = columns.map((column, at) => Math.max(column.header.length, ...cells.map((row) => row[at]!.length)));
  const floor = columns.map((column) => Math.max(MIN_COLUMN, column.header.length));
  const total = () => widths.reduce((sum, width) => sum + width, 0) + COLUMN_GAP * (widths.length - 1);
  // Bounded: each pass narrows one column by one, and no column goes below its floor.
  for (let excess = total() - terminalWidth; excess > 0; excess -= 1) {
    const widest = widths.reduce((best, width, at) => (width - floor[at]! > widths[best]! - floor[best]! ? at : best), 0);
    if (widths[widest]! <= floor[widest]!) break;
    widths[widest]! -= 1;
  }
  return widths;
}

function truncate(text: string, maxWidth: number | undefined): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return maxWidth === undefined || oneLine.length <= maxWidth ? oneLine : `${oneLine.slice(0, maxWidth - 1)}…`;
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break; double its quotes. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
