/**
 * One HTTP exchange and what its answer means. Shared by registry reads and token requests so
 * both classify timeouts, redirects, rate limits and bodies the same way.
 */
import type { MonitorFailureKind } from '../core/model.js';
import { AttemptError, buildFailure, cleanText, type FailureDetails, type RequestContext } from './errors.js';
import type { Exchange, HttpRequest, Transport } from './transport.js';

export const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.8';

const JSON_MEDIA_TYPES = new Set([
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
]);

const REQUEST_ID_CHARS = 100;

/** A 200 body that is not what the endpoint promises; `message` says what is wrong with it. */
export class InvalidBody extends Error {}

export type BodyParser<T> = (body: unknown) => T;

/**
 * Sends one request and reads the whole body under one timeout. Redirects are never followed:
 * the next hop would receive the credentials.
 */
export async function send(transport: Transport, url: string, request: HttpRequest, timeoutMs: number, context: RequestContext): Promise<Exchange> {
  try {
    return await transport(url, request, timeoutMs);
  } catch (error) {
    throw transportFailure(error, timeoutMs, context);
  }
}

function transportFailure(error: unknown, timeoutMs: number, context: RequestContext): AttemptError {
  // Checked by name, not instanceof: the DOMException may come from another realm (test VMs).
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    return new AttemptError(buildFailure('timeout', context, { summary: `no complete answer within ${timeoutMs} ms` }), true);
  }
  const summary = `could not reach the ${context.service}: ${cleanText(networkReason(error), context.secrets(), 120)}`;
  return new AttemptError(buildFailure('network', context, { summary }), true);
}

/** Node's fetch says only "fetch failed" and its cause has the useful part; Node's http client says it itself (ECONNRESET, ENOTFOUND ...). */
function networkReason(error: unknown): string {
  const failed = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const reason = [failed?.cause?.code, failed?.cause?.message, failed?.code, failed?.message].find((text) => typeof text === 'string');
  return (reason as string | undefined) ?? String(error);
}

/** Turns an exchange into the parsed body, or throws the classified AttemptError. */
export function interpret<T>(
  exchange: Exchange,
  context: RequestContext,
  parse: BodyParser<T>,
  refusalStatuses: readonly number[] = [401, 403],
): T {
  const secrets = context.secrets();
  const requestId = exchange.headers.get('x-request-id');
  const meta = { httpStatus: exchange.status, ...(requestId ? { requestId: cleanText(requestId, secrets, REQUEST_ID_CHARS) } : {}) };
  if (exchange.status >= 200 && exchange.status < 300) return parseBody(exchange, context, parse, meta);
  const kind = refusalStatuses.includes(exchange.status) ? 'credentials' : errorKind(exchange.status);
  const details = { ...meta, ...errorBody(exchange.text, secrets), summary: summaries(context)[kind] };
  return failWith(kind, context, details, waitHintMs(exchange.headers));
}

function parseBody<T>(exchange: Exchange, context: RequestContext, parse: BodyParser<T>, meta: object): T {
  const mediaType = (exchange.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const invalid = (problem: string) =>
    new AttemptError(buildFailure('invalid-response', context, { ...meta, summary: `unexpected answer: ${problem}` }), false);
  if (!JSON_MEDIA_TYPES.has(mediaType)) throw invalid(`content type "${cleanText(mediaType, context.secrets(), 60)}" is not JSON`);
  let body: unknown;
  try {
    body = JSON.parse(exchange.text);
  } catch {
    throw invalid('the body is not valid JSON (truncated?)');
  }
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof InvalidBody) throw invalid(error.message);
    throw error;
  }
}

type AnswerKind = Extract<MonitorFailureKind, 'redirect' | 'not-found' | 'timeout' | 'rate-limited' | 'server-error' | 'client-error'>;

function errorKind(status: number): AnswerKind {
  if (status >= 300 && status < 400) return 'redirect';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'client-error';
}

const RETRYABLE: ReadonlySet<MonitorFailureKind> = new Set(['timeout', 'rate-limited', 'server-error']);

function failWith(kind: MonitorFailureKind, context: RequestContext, details: FailureDetails, hintMs?: number): never {
  const retryable = RETRYABLE.has(kind);
  throw new AttemptError(buildFailure(kind, context, details), retryable, retryable ? hintMs : undefined);
}

function summaries(context: RequestContext): Record<AnswerKind | 'credentials', string> {
  const service = context.service;
  return {
    credentials: `the ${service} refused the credentials`,
    'not-found':
      service === 'registry'
        ? 'nothing at this path: wrong base URL, or the exporter API is not enabled'
        : 'nothing at the token URL',
    'rate-limited': `rate limited by the ${service}`,
    'server-error': `server error at the ${service}`,
    timeout: `the ${service} timed out`,
    redirect: `the ${service} answered with a redirect, not followed so credentials stay with the configured host`,
    'client-error': `the ${service} rejected the request`,
  };
}

/** The registry's `{error_code, message}`, or an OAuth `{error, error_description}`; both untrusted. */
function errorBody(text: string, secrets: readonly string[]): { errorCode?: number; registryMessage?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const fields = body as Record<string, unknown>;
  const code = fields.error_code;
  const oauthText = [fields.error, fields.error_description].filter((value) => typeof value === 'string').join(': ');
  const message = cleanText(typeof fields.message === 'string' ? fields.message : oauthText, secrets);
  return {
    ...(Number.isInteger(code) ? { errorCode: code as number } : {}),
    ...(message === '' ? {} : { registryMessage: message }),
  };
}

/** `Retry-After` in seconds, else the RELATIVE seconds of Confluent's `X-RateLimit-Reset`. */
function waitHintMs(headers: Exchange['headers']): number | undefined {
  for (const name of ['retry-after', 'x-ratelimit-reset']) {
    const value = headers.get(name)?.trim();
    const seconds = value ? Number(value) : Number.NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}
