/**
 * What people read about one event: the SNS subject, the email text, the AWS Chatbot custom
 * notification, and the SNS message that carries them all. Pure formatting, no I/O.
 *
 * Everything the registry supplies (exporter names, states, traces, error messages) is untrusted
 * here: it is bounded, stripped of invisible characters and escaped for each channel, so no
 * exporter name or trace can break a message, fake part of it, ping a chat channel, or push a
 * message past the limits of SNS.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { DATE_LIMIT_MS } from '../core/date-limit.js';
import { MISSING, TRACE_EXCERPT_CHARS, type MonitorEvent, type MonitorFailureKind, type Severity } from '../core/model.js';

/**
 * How the registry authenticates, for the curl commands. Nothing secret: the commands carry
 * placeholders (`$API_KEY`, `$API_SECRET`, `$TOKEN`) that people fill in themselves. A registry's
 * `AuthConfig` fits as it is (its other fields are ignored).
 */
export interface RegistryAuthContext {
  readonly kind: 'none' | 'basic' | 'oauth';
  /** OAuth: sent as `target-sr-cluster` (lsrc-...); without it the command uses `$LOGICAL_CLUSTER`. */
  readonly logicalCluster?: string;
  /** OAuth: sent as `Confluent-Identity-Pool-Id` when set. */
  readonly identityPoolId?: string;
}

export interface MessageContext {
  /** The registry's base URL, for the curl commands; without it they use `$SCHEMA_REGISTRY_URL`. */
  readonly registryBaseUrl?: string;
  /** How the curl commands authenticate; basic (`-u "$API_KEY:$API_SECRET"`) when absent. */
  readonly registryAuth?: RegistryAuthContext;
}

/** An AWS Chatbot (Amazon Q Developer in chat applications) custom notification. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    /** Chatbot accepts only string values here. */
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** The fields of an SNS Publish (or PublishBatch entry) that carry one event. */
export interface SnsMessage {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

/** SNS rejects a subject of 100 characters or more. */
const SUBJECT_MAX = 99;
/** Chatbot's limit for a title; a description longer than this is not read in a chat anyway. */
const TITLE_MAX = 249;
const DESCRIPTION_MAX = 3000;
/**
 * Exporter names longer than this are shown shortened and get no commands: a command with a
 * shortened name would act on another exporter, or on none.
 */
const NAME_MAX = 256;
/** A subject or title keeps at least this much of the exporter name, however long the rest is. */
const NAME_MIN = 12;
/** Registry ids are at most 32 characters (config); 2 more for Markdown's code span. */
const REGISTRY_MAX = 34;
/** States and failure kinds: the known ones are far shorter, the state list is open-ended. */
const STATE_MAX = 26;
/** One line of other registry-supplied text: a root cause, an error message, an id, a URL. */
const LINE_MAX = 300;
const ATTRIBUTE_MAX = 256;
/** A trace excerpt shorter than this is not worth a code block in the chat message. */
const CHAT_TRACE_MIN = 200;
const ELLIPSIS = '...';

// ---------------------------------------------------------------------------------------------
// Cleaning and bounding untrusted text

/**
 * Controls, zero-width and bidirectional-override characters, line separators, the BOM: they are
 * invisible or reorder text, so a name containing them could hide or fake part of a message.
 */
const INVISIBLE_CHARS = '\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
/** Half a surrogate pair is not valid UTF-8: SNS would reject it and encodeURIComponent throws. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const INVISIBLE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${INVISIBLE_CHARS}]`, 'g');

/** Keeps line breaks and tabs (for traces), turns everything else invisible into a space. */
function cleanLines(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, ' ').replace(LONE_SURROGATE, '\ufffd');
}

function cleanLine(text: string): string {
  return cleanLines(text).replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
  let end = Math.max(0, max - ELLIPSIS.length);
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** Cleaning never lengthens text, so only a prefix twice the limit is cleaned: a 1 MB trace stays cheap. */
function bounded(text: string, max: number, clean: (text: string) => string): string {
  const prefix = text.slice(0, 2 * max);
  const cleaned = clean(prefix);
  return cleaned.length <= max && prefix.length === text.length ? cleaned : shorten(cleaned, max);
}

/** One line of untrusted text, at most `max` characters. */
function line(text: string, max: number): string {
  return bounded(text, max, cleanLine);
}

/** SNS subjects are ASCII only: accents are dropped (`café` -> `cafe`), anything else becomes `?`. */
function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

// ---------------------------------------------------------------------------------------------
// Markdown for AWS Chatbot ("client-markdown" is rendered as the chat platform's Markdown)

/** Slack reads `<...>` as links and mentions (`<!channel>`) even inside code, so these are entities everywhere. */
const SLACK_ENTITIES: Partial<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const entities = (text: string): string => text.replace(/[&<>]/g, (ch) => SLACK_ENTITIES[ch] ?? ch);
const codeChar = (ch: string): string => SLACK_ENTITIES[ch] ?? ch;
const textChar = (ch: string): string => SLACK_ENTITIES[ch] ?? (/[\\`*_~[\]()#|!]/.test(ch) ? `\\${ch}` : ch);

/** Escapes character by character and stops at `max` output characters: escaping never pushes a field past its limit. */
function escapeWithin(text: string, max: number, escape: (ch: string) => string): string {
  const pieces = Array.from(text, escape);
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return `${out}${ELLIPSIS}`;
}

/** Text no Markdown dialect formats and no chat reads as a mention (`@here`): shown as it is. */
const MARKDOWN_INERT = /^[A-Za-z0-9 .,:;/+=%-]*$/;

/**
 * Registry text inline. Other text goes in a code span, which shows it verbatim (Slack does not
 * understand backslash escapes and would show them); text with a backtick cannot be a code span
 * and is escaped instead.
 */
function markdownValue(raw: string, max: number): string {
  const text = line(raw, max);
  if (MARKDOWN_INERT.test(text)) return text;
  return text.includes('`') ? escapeWithin(text, max, textChar) : `\`${escapeWithin(text, max - 2, codeChar)}\``;
}

/** Inside a fence only a backtick run could end the block early; backticks become quotes. */
function codeBlock(trace: string, max: number): string {
  const body = escapeWithin(bounded(trace, max, cleanLines).replace(/`/g, "'"), max, codeChar);
  return `\`\`\`\n${body}\n\`\`\``;
}

// ---------------------------------------------------------------------------------------------
// Words shared by every channel

/** Part of a message: our own words, or a value from the registry that each channel renders its own way. */
type Segment = string | { readonly value: string; readonly max: number };

const value = (raw: string | number | null | undefined, max = STATE_MAX): Segment => ({
  value: raw === null || raw === undefined ? 'unknown' : String(raw),
  max,
});

interface Style {
  readonly text: (text: string) => string;
  readonly value: (raw: string, max: number) => string;
}

const PLAIN: Style = { text: (text) => text, value: line };
const SUBJECT: Style = { text: (text) => text, value: (raw, max) => line(ascii(line(raw, max)), max) };
/** Our own words need only Slack's entities; chat clients show a real arrow. */
const MARKDOWN: Style = { text: (text) => entities(text.replace(/ -> /g, ' \u2192 ')), value: markdownValue };

function render(segments: readonly Segment[], style: Style): string {
  return segments.map((segment) => (typeof segment === 'string' ? style.text(segment) : style.value(segment.value, segment.max))).join('');
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes < 1) return `${seconds}s`;
  if (hours < 1) return `${minutes}m`;
  if (days < 2) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

function isoTime(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT_MS ? new Date(ms).toISOString() : 'unknown';
}

function offsetText(offset: number | null | undefined): string {
  if (offset === null || offset === undefined) return 'unknown';
  return offset === -1 ? '-1 (nothing exported yet)' : String(offset);
}

const isMonitorEvent = (event: MonitorEvent): boolean => event.type.startsWith('monitor-');

/** How long the incident lasted, for recoveries. */
function incidentDuration(event: MonitorEvent): number | undefined {
  if (event.durationMs !== undefined) return event.durationMs;
  return event.incidentOpenedAt === undefined ? undefined : event.at - event.incidentOpenedAt;
}

interface Wording {
  /** Subject and title around the exporter name, the one part shortened to fit. */
  readonly lead: readonly Segment[];
  readonly tail: readonly Segment[];
  /** The sentence that opens the email and the chat message. */
  readonly sentence: readonly Segment[];
}

function wording(event: MonitorEvent): Wording {
  const registry = value(event.registryId, REGISTRY_MAX);
  const exporter: readonly Segment[] = ['Exporter ', value(event.exporterName, NAME_MAX), ' on registry ', registry];
  const state = value(event.state);
  const previous = value(event.previousState);
  const held = formatDuration(event.at - event.since);
  const lasted = incidentDuration(event);
  const kind = value(event.failure?.kind);
  const problem = [' (', kind, '): ', value(event.failure?.message, LINE_MAX)];
  switch (event.type) {
    case 'state-changed':
      return { lead: [], tail: [' ', previous, ' -> ', state], sentence: [...exporter, ' went from ', previous, ' to ', state, '.'] };
    case 'first-seen-unhealthy':
      return { lead: [], tail: [' is ', state, ' (first check)'], sentence: [...exporter, ' was ', state, ' when the monitor first checked it.'] };
    case 'disappeared':
      return {
        lead: [],
        tail: [' disappeared'],
        sentence: [...exporter, ' no longer exists (it was ', previous, '): the registry answers 404 with error code 40450.'],
      };
    case 'reappeared':
      return { lead: [], tail: [' reappeared as ', state], sentence: [...exporter, ' exists again, in state ', state, '.'] };
    case 'error-changed':
      return { lead: [], tail: [' ', state, ' with a new error'], sentence: [...exporter, ' is still ', state, ' but now fails with a different error.'] };
    case 'stuck':
      return {
        lead: [],
        tail: [' stuck in ', state, ` for ${held}`],
        sentence: [...exporter, ' has been ', state, ` for ${held}, longer than the alert policy allows.`],
      };
    case 'reminder':
      return { lead: ['reminder: '], tail: [' ', state, ` for ${held}`], sentence: [...exporter, ' is still ', state, `, for ${held} now.`] };
    case 'recovered': {
      const after = lasted === undefined ? '' : ` after ${formatDuration(lasted)}`;
      return { lead: [], tail: [` recovered${after}`], sentence: [...exporter, ` is RUNNING again${after}.`] };
    }
    case 'monitor-degraded':
      return { lead: ['monitor cannot read registry (', kind, ')'], tail: [], sentence: ['The monitor cannot read registry ', registry, ...problem] };
    case 'monitor-reminder':
      return {
        lead: [`reminder: monitor cannot read registry for ${held} (`, kind, ')'],
        tail: [],
        sentence: ['Reminder: the monitor still cannot read registry ', registry, ` after ${held}`, ...problem],
      };
    case 'monitor-recovered': {
      const after = lasted === undefined ? '' : ` after ${formatDuration(lasted)}`;
      return { lead: [`monitor recovered${after}`], tail: [], sentence: ['The monitor can read registry ', registry, ` again${after}.`] };
    }
    // Recorded in history only (never sent); worded for the CLI and anyone reading the table.
    case 'forgotten':
      return { lead: [], tail: [' forgotten'], sentence: [...exporter, ' was forgotten by an operator: its record is gone and its incident ends.'] };
  }
}

/** `[registry] lead NAME tail`: the exporter name takes whatever room the rest leaves. */
function headline(event: MonitorEvent, style: Style, max: number): string {
  const { lead, tail } = wording(event);
  const before = render(['[', value(event.registryId, REGISTRY_MAX), '] ', ...lead], style);
  const after = render(tail, style);
  if (event.exporterName === undefined) return `${before}${after}`;
  return `${before}${style.value(event.exporterName, Math.max(NAME_MIN, max - before.length - after.length))}${after}`;
}

const STATE_MEANING: Readonly<Record<string, string>> = {
  RUNNING: 'RUNNING: the exporter copies new schemas to the destination registry.',
  PAUSED:
    'PAUSED: the exporter copies nothing until someone resumes it. The registry pauses an exporter whose export fails, so the error below is usually why.',
  STARTING: 'STARTING: the exporter copies the existing schemas before it runs; a large export can take about an hour.',
  UNASSIGNED: 'UNASSIGNED: no registry node runs the exporter yet.',
  [MISSING]: 'MISSING: the registry answers 404 with error code 40450: the exporter was deleted, or never existed under this name.',
};

/** What the new state means for people who do not know exporters; nothing for monitor events (their advice is a next step). */
function meaning(event: MonitorEvent): string | undefined {
  if (isMonitorEvent(event)) return undefined;
  return STATE_MEANING[event.state] ?? 'The registry reported a state this monitor does not know (the list is open-ended); it counts as unhealthy.';
}

type Fact = readonly [label: string, value: readonly Segment[]];

function facts(event: MonitorEvent, context: MessageContext): Fact[] {
  const { failure } = event;
  const exporterEvent = event.exporterName !== undefined;
  // A missing exporter has no status to show.
  const hasStatus = exporterEvent && event.state !== MISSING;
  const lasted = incidentDuration(event);
  const incidentNote =
    event.type === 'recovered' || event.type === 'monitor-recovered'
      ? lasted === undefined ? '' : `, lasted ${formatDuration(lasted)}`
      : event.incidentOpenedAt === undefined ? '' : `, opened ${isoTime(event.incidentOpenedAt)}`;
  const all: (Fact | false)[] = [
    ['Registry', [value(event.registryId, REGISTRY_MAX), ...(context.registryBaseUrl ? [' (', value(context.registryBaseUrl, LINE_MAX), ')'] : [])]],
    exporterEvent && ['Exporter', [value(event.exporterName, NAME_MAX)]],
    ['State', event.previousState === undefined ? [value(event.state)] : [value(event.previousState), ' -> ', value(event.state)]],
    ['Since', [`${isoTime(event.since)} (for ${formatDuration(event.at - event.since)})`]],
    ['Event time', [isoTime(event.at)]],
    hasStatus && ['Offset', [offsetText(event.offset)]],
    hasStatus && ['Last record (ts)', [isoTime(event.ts)]],
    event.rootCause !== undefined && ['Root cause', [value(event.rootCause, LINE_MAX)]],
    event.errorCode !== undefined && ['Error code', [String(event.errorCode)]],
    failure !== undefined && [
      'Failure',
      [
        value(failure.kind),
        failure.httpStatus === undefined ? '' : `, HTTP ${failure.httpStatus}`,
        failure.errorCode === undefined ? '' : `, error code ${failure.errorCode}`,
      ],
    ],
    failure?.requestId !== undefined && ['Request id', [value(failure.requestId, LINE_MAX)]],
    failure?.path !== undefined && ['Request path', [value(failure.path, LINE_MAX)]],
    event.incidentId !== undefined && ['Incident', [value(event.incidentId, LINE_MAX), incidentNote]],
  ];
  return all.filter((fact): fact is Fact => fact !== false);
}

// ---------------------------------------------------------------------------------------------
// Next steps

interface Step {
  readonly text: string;
  /** Shell commands, safe to paste as they are: the name is quoted and the URL path-encoded. */
  readonly commands: readonly string[];
}

const SHELL_BARE = /^[A-Za-z0-9._:/=@%+,-]+$/;
/**
 * Written as escapes inside `$'...'`: quotes and backslashes, anything invisible, and the
 * characters a chat would interpret (`<>&` and the backtick that would end a code span). So a
 * command carries the exact name and is always safe inside a Markdown code span.
 */
const SHELL_ESCAPED = new RegExp(`['\\\\\`<>&\\u0000-\\u001f${INVISIBLE_CHARS}]`);

function shellQuote(text: string): string {
  if (SHELL_BARE.test(text)) return text;
  if (!SHELL_ESCAPED.test(text)) return `'${text}'`;
  const escaped = Array.from(text, (ch) => {
    if (!SHELL_ESCAPED.test(ch)) return ch;
    const code = ch.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `$'${escaped.join('')}'`;
}

/** encodeURIComponent leaves `!'()*` alone; encoded too, the URL needs no quoting anywhere. */
function pathSegment(name: string): string {
  return encodeURIComponent(name.replace(LONE_SURROGATE, '\ufffd')).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Header values from the configuration: in double quotes like the placeholders when plain, else quoted exactly. */
const HEADER_PLAIN = /^[A-Za-z0-9._:/=@%+, -]+$/;

function header(name: string, headerValue: string): string {
  const text = `${name}: ${headerValue}`;
  return `-H ${HEADER_PLAIN.test(text) ? `"${text}"` : shellQuote(text)}`;
}

/** A configured id fit for a command line: set, and not so long that a message would have to shorten it. */
const usable = (text: string | undefined): text is string => text !== undefined && text !== '' && text.length <= LINE_MAX;

/** The curl options that authenticate as the monitor does: secrets only as shell variables, never their values. */
function curlAuth(auth: RegistryAuthContext | undefined): string {
  switch (auth?.kind) {
    case 'none':
      return '';
    case 'oauth': {
      const { logicalCluster, identityPoolId } = auth;
      const headers = [
        '-H "Authorization: Bearer $TOKEN"',
        usable(logicalCluster) ? header('target-sr-cluster', logicalCluster) : '-H "target-sr-cluster: $LOGICAL_CLUSTER"',
        ...(identityPoolId === undefined || identityPoolId === ''
          ? []
          : [usable(identityPoolId) ? header('Confluent-Identity-Pool-Id', identityPoolId) : '-H "Confluent-Identity-Pool-Id: $IDENTITY_POOL_ID"']),
      ];
      return `${headers.join(' ')} `;
    }
    default:
      return '-u "$API_KEY:$API_SECRET" ';
  }
}

function curl(context: MessageContext, path: string, options = ''): string {
  const url = context.registryBaseUrl === undefined ? `"$SCHEMA_REGISTRY_URL${path}"` : shellQuote(`${context.registryBaseUrl.replace(/\/+$/, '')}${path}`);
  return `curl ${curlAuth(context.registryAuth)}${options}${url}`;
}

function listCommands(context: MessageContext): string[] {
  return ['confluent schema-registry exporter list', curl(context, '/exporters', '-i ')];
}

function exporterCommands(name: string, context: MessageContext, action: 'status' | 'resume'): string[] {
  const path = `/exporters/${pathSegment(name)}/${action}`;
  return action === 'status'
    ? [`confluent schema-registry exporter status describe ${shellQuote(name)}`, curl(context, path)]
    : [`confluent schema-registry exporter resume ${shellQuote(name)}`, curl(context, path, '-X PUT ')];
}

const FAILURE_ADVICE: Readonly<Record<MonitorFailureKind, string>> = {
  credentials:
    'The registry refused the credentials (HTTP 401 or 403, or the OAuth token endpoint refused them). Check the secret in Secrets Manager: the API key must belong to this Schema Registry cluster, still exist, and be allowed to read exporters.',
  'not-found':
    'The registry answered 404 without error code 40450, so the URL does not reach the exporter API: the base URL is wrong (it must be the Schema Registry endpoint), or the registry does not have the exporter API (Schema Linking) enabled.',
  'rate-limited':
    'The registry kept answering 429 after retries. The monitor shares the read budget of the cluster (75 requests per second on Confluent Cloud) with production clients: lower requestsPerSecond or concurrency for this registry, or watch fewer exporters.',
  'server-error':
    'The registry kept answering with server errors (5xx) after retries. It may be having an outage: check the Confluent status page or the registry logs, and quote the request id to support.',
  timeout:
    'Requests to the registry timed out. The registry is slow or unreachable from the monitor: check the network path (VPC, NAT, PrivateLink) or raise requestTimeoutMs.',
  network:
    'The monitor could not connect to the registry (DNS, TLS or connection refused). Check the base URL and the network access of the function (VPC, NAT, PrivateLink, firewall).',
  'invalid-response':
    'The registry answered with something that is not the exporter API (a login page, a proxy page, a cut-off body). Check that the base URL points at Schema Registry itself.',
  redirect:
    'The registry answered with a redirect. The monitor never follows one, so the credentials stay with the configured host: put the final URL in the configuration as baseUrl.',
  'client-error': 'The registry refused the request (HTTP 4xx). The details below say why; check the monitor configuration for this registry.',
  configuration:
    'The monitor configuration is incomplete: a secret is missing, lacks the expected fields ({"apiKey", "apiSecret"}, or {"clientId", "clientSecret"} for OAuth), or a setting is invalid.',
};

/** What the registry's error codes found in traces ask people to do. */
const ERROR_CODE_ADVICE: Readonly<Record<number, string>> = {
  42205:
    'Error code 42205: the destination subject is not in IMPORT mode. Schema Linking writes to the destination only in IMPORT mode: set the destination subject or context to IMPORT before resuming.',
};

function nextSteps(event: MonitorEvent, context: MessageContext): Step[] {
  if (event.type === 'monitor-recovered') return [{ text: 'Nothing to do: the monitor can read the registry again.', commands: [] }];
  if (isMonitorEvent(event)) {
    const advice = (event.failure && FAILURE_ADVICE[event.failure.kind]) ?? 'The monitor cannot read the registry.';
    return [
      { text: advice, commands: [] },
      { text: 'Send the same request by hand with the same credentials:', commands: listCommands(context) },
    ];
  }
  const name = event.exporterName ?? '';
  if (event.state === 'RUNNING') return [{ text: 'Nothing to do: the exporter is RUNNING.', commands: [] }];
  if (event.state === MISSING) {
    return [
      {
        text: 'If nobody meant to delete it, find out who did (audit log) and create it again; if it was deleted on purpose, remove it from the monitor configuration if it is listed there and run `exporter-monitor forget` for it, which ends the reminders. The exporters that exist:',
        commands: listCommands(context),
      },
    ];
  }
  const quotable = name.length <= NAME_MAX;
  const commands = (action: 'status' | 'resume') => (quotable ? exporterCommands(name, context, action) : []);
  const steps: Step[] = [
    ...(quotable ? [] : [{ text: `The exporter name is ${name.length} characters long, too long to repeat here; find it in the list:`, commands: listCommands(context) }]),
    { text: 'Read its status and error:', commands: commands('status') },
  ];
  const advice = event.errorCode === undefined ? undefined : ERROR_CODE_ADVICE[event.errorCode];
  if (event.state === 'PAUSED') {
    return [...steps, ...(advice ? [{ text: advice, commands: [] }] : []), { text: 'When the cause is fixed, resume it:', commands: commands('resume') }];
  }
  if (event.state === 'STARTING' || event.state === 'UNASSIGNED') {
    return [
      ...steps,
      {
        text: 'A first export can take long (about 40 minutes for 4,000 schemas in one report). If the offset does not move between checks, open a case with Confluent support, quoting the registry and the exporter.',
        commands: [],
      },
    ];
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// The channels

/** The email subject: ASCII, one line, under 100 characters, as SNS requires. */
export function subject(event: MonitorEvent): string {
  return line(headline(event, SUBJECT, SUBJECT_MAX), SUBJECT_MAX);
}

export function emailText(event: MonitorEvent, context: MessageContext = {}): string {
  const explanation = meaning(event);
  const trace = event.trace ? bounded(event.trace, TRACE_EXCERPT_CHARS, cleanLines).trimEnd() : '';
  return [
    render(wording(event).sentence, PLAIN),
    ...(explanation ? [explanation] : []),
    '',
    ...facts(event, context).map(([label, segments]) => `${`${label}:`.padEnd(18)}${render(segments, PLAIN)}`),
    '',
    'What to do next:',
    ...nextSteps(event, context).flatMap((step) => [`- ${step.text}`, ...step.commands.map((command) => `    ${command}`)]),
    ...(trace ? ['', 'Trace (excerpt):', ...trace.split('\n').map((traceLine) => `    ${traceLine}`.trimEnd())] : []),
    '',
    `Event id: ${line(event.id, LINE_MAX)}`,
  ].join('\n');
}

const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':white_check_mark:',
};

/** Registry-supplied values for Chatbot custom actions and the SNS attributes: strings, non-empty, one line. */
function cleanRecord(record: Readonly<Record<string, string | number | null | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null)
      .map(([key, raw]) => [key, line(String(raw), ATTRIBUTE_MAX) || '-']),
  );
}

export function chatbotNotification(event: MonitorEvent, context: MessageContext = {}): ChatbotNotification {
  const emoji = SEVERITY_EMOJI[event.severity] ?? '';
  const explanation = meaning(event);
  const head = [
    render(wording(event).sentence, MARKDOWN),
    ...(explanation ? [entities(explanation)] : []),
    '',
    ...facts(event, context).map(([label, segments]) => `*${label}:* ${render(segments, MARKDOWN)}`),
  ].join('\n');
  // The trace goes last and gets the room left, so the description stays within its limit.
  const traceRoom = DESCRIPTION_MAX - head.length - '\n```\n\n```'.length;
  const description = event.trace && traceRoom >= CHAT_TRACE_MIN ? `${head}\n${codeBlock(event.trace, traceRoom)}` : head;
  return {
    version: '1.0',
    source: 'custom',
    id: line(event.id, ATTRIBUTE_MAX),
    content: {
      textType: 'client-markdown',
      title: `${emoji} ${headline(event, MARKDOWN, TITLE_MAX - emoji.length - 1)}`,
      description,
      nextSteps: nextSteps(event, context).map((step) =>
        [entities(step.text), step.commands.map((command) => `\`${entities(command)}\``).join(' or ')].join(' ').trimEnd(),
      ),
      // Keywords and the summary are separate plain fields: only Slack's mentions and links need neutralising.
      keywords: [event.registryId, event.type, event.severity, event.state].map((keyword) => entities(line(keyword, STATE_MAX))),
    },
    metadata: {
      // Chatbot threads messages by this id: one thread per incident, else one per exporter (or registry).
      threadId: line(event.incidentId ?? [event.registryId, event.exporterName].filter((part) => part !== undefined).join('/'), ATTRIBUTE_MAX),
      summary: MARKDOWN.text(subject(event)),
      eventType: event.type,
      additionalContext: cleanRecord({
        registry: event.registryId,
        exporter: event.exporterName,
        event: event.type,
        severity: event.severity,
        incidentId: event.incidentId,
        state: event.state,
        previousState: event.previousState,
        since: isoTime(event.since),
        eventTime: isoTime(event.at),
        offset: event.offset,
        ts: event.ts === undefined || event.ts === null ? undefined : isoTime(event.ts),
        errorCode: event.errorCode,
        failureKind: event.failure?.kind,
        httpStatus: event.failure?.httpStatus,
        requestId: event.failure?.requestId,
        eventId: event.id,
      }),
    },
  };
}

/**
 * SNS message attributes, for subscription filter policies. `exporter` is absent for events
 * about the registry itself, so `{"exporter": [{"exists": false}]}` selects those.
 */
export function messageAttributes(event: MonitorEvent): Record<string, MessageAttributeValue> {
  const values = cleanRecord({
    registry: event.registryId,
    exporter: event.exporterName,
    event: event.type,
    severity: event.severity,
    state: event.state,
    incident_id: event.incidentId,
    event_id: event.id,
  });
  return Object.fromEntries(Object.entries(values).map(([name, text]) => [name, { DataType: 'String', StringValue: text }]));
}

/**
 * One SNS message for every kind of subscriber: email (and anything without its own body) gets
 * the text; AWS Chatbot subscribes over HTTPS and gets the custom notification, as do SQS and
 * Lambda subscribers, for whom JSON is the useful form. Every part is bounded above, so the whole
 * stays far below the 256 KB SNS accepts, whatever the registry sent.
 */
export function snsMessage(event: MonitorEvent, context: MessageContext = {}): SnsMessage {
  const email = emailText(event, context);
  const notification = JSON.stringify(chatbotNotification(event, context));
  return {
    Subject: subject(event),
    Message: JSON.stringify({ default: email, email, https: notification, sqs: notification, lambda: notification }),
    MessageStructure: 'json',
    MessageAttributes: messageAttributes(event),
  };
}
