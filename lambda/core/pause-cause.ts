/**
 * Why an exporter paused, read from its trace: the taxonomy every message, the CLI and
 * auto-resume share. The registry pauses an exporter whose export fails and leaves the Java stack
 * trace in its status; the exception lines (the first one and every `Caused by:`) and the
 * `error code: NNNNN` they carry say which rule or which connection failed. Codes are those of
 * Confluent's schema-registry `Errors.java`; docs/pause-causes.md lists how each category is
 * recognised and what to do about it.
 */

export const PAUSE_CAUSES = [
  'import-mode',
  'id-conflict',
  'schema-too-large',
  'destination-auth',
  'rate-limited',
  'destination-unreachable',
  'no-error',
  'unknown',
] as const;

export type PauseCause = (typeof PAUSE_CAUSES)[number];

interface CauseRule {
  /** `error code: NNNNN` values (and bare HTTP statuses, which the client prints the same way) that mean this cause. */
  readonly codes: readonly number[];
  /** Words in the exception lines that mean this cause. */
  readonly words: RegExp;
}

/**
 * Checked in this order: the first that matches names the cause. 42205 (operation not permitted)
 * covers both "not in import mode" and "overwrite ... is not permitted", so the conflict's own
 * words are looked for before the code decides for IMPORT mode.
 */
const RULES: ReadonlyArray<readonly [PauseCause, CauseRule]> = [
  ['id-conflict', { codes: [42207], words: /overwrite new schema|already registered with id|IdDoesNotMatch|does not match the id|version .* already exists/i }],
  ['import-mode', { codes: [42205], words: /not in import mode|READONLY mode/i }],
  ['schema-too-large', { codes: [42209], words: /schema (?:is )?too large|SchemaTooLarge/i }],
  ['destination-auth', { codes: [401, 403, 40101, 40301, 40302, 40303], words: /\bUnauthorized\b|\bForbidden\b|not authorized|denied operation|Authentication(?:Exception|Failed)|AuthorizationException/i }],
  ['rate-limited', { codes: [429, 42901], words: /too many requests|rate limit/i }],
  [
    'destination-unreachable',
    {
      codes: [500, 502, 503, 504, 50001, 50002, 50003, 50004],
      words: /ConnectException|UnknownHostException|NoRouteToHostException|SocketTimeoutException|HttpTimeoutException|\bTimeoutException|connection (?:refused|reset)|timed out|service unavailable|bad gateway|gateway time-?out|internal server error/i,
    },
  ],
];

/** Causes a resume can fix without anyone changing anything: the destination was briefly away or busy. */
const TRANSIENT: ReadonlySet<PauseCause> = new Set(['destination-unreachable', 'rate-limited']);

/** What people read for each cause: a label for tables and messages. */
export const PAUSE_CAUSE_LABEL: Readonly<Record<PauseCause, string>> = {
  'import-mode': 'destination subject not in IMPORT mode',
  'id-conflict': 'schema id or version conflict at the destination',
  'schema-too-large': 'schema too large for the destination',
  'destination-auth': 'destination refused the exporter\'s credentials',
  'rate-limited': 'destination rate limit',
  'destination-unreachable': 'destination unreachable, timing out or failing (5xx)',
  'no-error': 'no error: paused by a person or a tool',
  unknown: 'unrecognised error',
};

export function isTransient(cause: PauseCause): boolean {
  return TRANSIENT.has(cause);
}

const EXCEPTION_LINE = /^\s*(?:Caused by:\s*)?[\w$.]+(?:Exception|Error|Throwable)\b.*$/;
const ERROR_CODE = /error code:?\s*(\d{3,6})/gi;
/** Traces are several KB; the exception lines of a real one are all in its first part. */
const SCANNED_CHARS = 20_000;

/**
 * The cause of a pause, from the trace the status carries. An empty trace means nothing failed:
 * a person or a tool (the Terraform provider, to update it) paused the exporter.
 */
export function pauseCause(trace: string | null | undefined): PauseCause {
  if (!trace || trace.trim() === '') return 'no-error';
  const lines = trace.slice(0, SCANNED_CHARS).split(/\r?\n/);
  const exceptionLines = lines.filter((line) => EXCEPTION_LINE.test(line));
  // A trace without a Java exception line (a message only) is read whole.
  const text = (exceptionLines.length > 0 ? exceptionLines : lines).join('\n');
  const codes = new Set([...text.matchAll(ERROR_CODE)].map((match) => Number(match[1])));
  const found = RULES.find(([, rule]) => rule.words.test(text) || rule.codes.some((code) => codes.has(code)));
  return found === undefined ? 'unknown' : found[0];
}
