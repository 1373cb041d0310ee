/**
 * What people read about one event, channel by channel: the SNS subject, the email text, the AWS
 * Chatbot custom notification, the message attributes, and the SNS message that carries them
 * all. Pure formatting, no I/O: the words come from wording.ts and next-steps.ts, and each
 * channel renders them within its own limits.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { TRACE_EXCERPT_CHARS, type MonitorEvent, type Severity } from '../core/model.js';
import { codeBlock, entities, markdownValue } from './markdown.js';
import type { MessageContext } from './message-context.js';
import { nextSteps } from './next-steps.js';
import { ascii, LINE_MAX, line, lines, STATE_MAX } from './untrusted-text.js';
import { facts, headline, isoTime, meaning, render, type Style, wording } from './wording.js';

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
const ATTRIBUTE_MAX = 256;
/** A trace excerpt shorter than this is not worth a code block in the chat message. */
const CHAT_TRACE_MIN = 200;

/** Email text shows everything as it is, once cleaned to one line. */
const PLAIN: Style = { text: (text) => text, value: line };
/** SNS accepts only ASCII in a subject. */
const SUBJECT: Style = { text: (text) => text, value: (raw, max) => line(ascii(line(raw, max)), max) };
/** Our own words need only Slack's entities; chat clients show a real arrow. */
const MARKDOWN: Style = { text: (text) => entities(text.replace(/ -> /g, ' \u2192 ')), value: markdownValue };

/** The email subject: ASCII, one line, under 100 characters, as SNS requires. */
export function subject(event: MonitorEvent): string {
  return line(headline(event, SUBJECT, SUBJECT_MAX), SUBJECT_MAX);
}

/** The trace a message shows: a reminder leaves it to the incident's first message. */
function shownTrace(event: MonitorEvent): string | undefined {
  return wording(event).reminder ? undefined : event.trace;
}

export function emailText(event: MonitorEvent, context: MessageContext = {}): string {
  const explanation = meaning(event);
  const excerpt = shownTrace(event);
  const trace = excerpt ? lines(excerpt, TRACE_EXCERPT_CHARS).trimEnd() : '';
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
  const trace = shownTrace(event);
  const description = trace && traceRoom >= CHAT_TRACE_MIN ? `${head}\n${codeBlock(trace, traceRoom)}` : head;
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
 * One SNS message for every kind of subscriber: email gets the text, SMS (a subscription someone
 * adds to their own topic) the subject line, which fits one text message; every other protocol
 * reads `default`, the custom notification: AWS Chatbot subscribes over HTTPS, and for SQS,
 * Lambda, HTTP and email-json subscribers JSON is the useful form. One JSON body for all of them,
 * not a copy per protocol key, keeps every publish small (5 KB, not 13). Every part is bounded
 * above, so the whole stays far below the 256 KB SNS accepts, whatever the registry sent.
 */
export function snsMessage(event: MonitorEvent, context: MessageContext = {}): SnsMessage {
  const email = emailText(event, context);
  const notification = JSON.stringify(chatbotNotification(event, context));
  const subjectLine = subject(event);
  return {
    Subject: subjectLine,
    Message: JSON.stringify({ default: notification, email, sms: subjectLine }),
    MessageStructure: 'json',
    MessageAttributes: messageAttributes(event),
  };
}
