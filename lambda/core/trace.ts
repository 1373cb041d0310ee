/**
 * Reading a Java stack trace from an exporter's status. An exporter that fails goes to PAUSED
 * and its `trace` holds the stack trace; the first `...Exception: message` line is the cause
 * people need, and `error code: NNNNN` tells which registry rule failed.
 */
import { TRACE_EXCERPT_CHARS } from './model.js';

export interface TraceSummary {
  /** The first `...Exception: message` (or `...Error: message`) line, trimmed to 300 characters. */
  readonly rootCause?: string;
  /** The `error code: NNNNN` found in the root cause (or anywhere in the trace). */
  readonly errorCode?: number;
  /** The start of the trace, at most TRACE_EXCERPT_CHARS characters. */
  readonly excerpt?: string;
  /**
   * Identifies the error regardless of volatile details, so a PAUSED exporter that fails
   * again with the same error is not announced twice: '' when there is no trace.
   */
  readonly signature: string;
}

const EXCEPTION_LINE = /^\s*(?:Caused by:\s*)?([\w$.]+(?:Exception|Error|Throwable))(?::\s*(.*))?$/;
const ERROR_CODE = /error code:?\s*(\d{3,6})/i;
const ROOT_CAUSE_CHARS = 300;

export function summarizeTrace(trace: string | null | undefined): TraceSummary {
  if (!trace || trace.trim() === '') return { signature: '' };
  const lines = trace.split(/\r?\n/, 200);
  const exceptionLine = lines.map((line) => EXCEPTION_LINE.exec(line)).find((match) => match !== null);
  const firstLine = (lines.find((line) => line.trim() !== '') ?? '').trim();
  const rootCause = (exceptionLine ? exceptionLine[0].trim() : firstLine).slice(0, ROOT_CAUSE_CHARS);
  const codeMatch = ERROR_CODE.exec(rootCause) ?? ERROR_CODE.exec(trace.slice(0, 20_000));
  const errorCode = codeMatch ? Number(codeMatch[1]) : undefined;
  const signature = exceptionLine
    ? `${exceptionLine[1]}${errorCode === undefined ? '' : `#${errorCode}`}:${normalise(exceptionLine[2] ?? '')}`
    : normalise(firstLine);
  return {
    rootCause,
    ...(errorCode === undefined ? {} : { errorCode }),
    excerpt: trace.slice(0, TRACE_EXCERPT_CHARS),
    signature: signature.slice(0, 200),
  };
}

/** Numbers vary between two failures of the same kind (offsets, ids, times); they do not make a new error. */
function normalise(message: string): string {
  return message.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}
