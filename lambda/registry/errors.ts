/**
 * How a failed read is reported. Everything here ends up in alerts and logs, so the text is one
 * short line, registry-supplied parts are treated as untrusted, and secrets are cut out.
 */
import type { MonitorFailure, MonitorFailureKind } from '../core/model.js';
import { redact, redactFragments, type SecretValues } from './redaction.js';

/** Thrown for every monitor failure; carries the classified failure (never contains secrets). */
export class RegistryReadError extends Error {
  override readonly name = 'RegistryReadError';

  constructor(readonly failure: MonitorFailure) {
    super(failure.message);
  }
}

/**
 * A request the client chose not to send: the invocation is about to end, or the caller stopped
 * the run (for example after a credentials failure). Not a failure of the registry.
 */
export class RequestNotStartedError extends Error {
  override readonly name = 'RequestNotStartedError';

  constructor(readonly reason: 'deadline' | 'stopped') {
    super(reason === 'deadline' ? 'not started: the deadline is near' : 'not started: the run was stopped');
  }
}

/** Who answered: the registry, or the OAuth token endpoint in front of it. */
export type Service = 'registry' | 'token endpoint';

export interface RequestContext {
  readonly service: Service;
  readonly method: string;
  /** The path (or token URL without query) named in messages; never holds credentials. */
  readonly path: string;
  /** The credentials the answer's text must not show. */
  readonly secrets: SecretValues;
}

/** One failed attempt. The retry loop decides whether it becomes the final failure. */
export class AttemptError extends Error {
  constructor(
    readonly failure: MonitorFailure,
    readonly retryable: boolean,
    /** What the server asked us to wait (Retry-After or X-RateLimit-Reset), in ms. */
    readonly waitHintMs?: number,
    /** The registry answered 401 to an OAuth token that may merely be stale. */
    readonly tokenRejected = false,
  ) {
    super(failure.message);
  }

  withTokenRejected(): AttemptError {
    return new AttemptError(this.failure, this.retryable, this.waitHintMs, true);
  }
}

/** The parts of a failure besides its kind and where it happened. */
export interface FailureDetails {
  readonly summary: string;
  readonly httpStatus?: number;
  readonly errorCode?: number;
  readonly registryMessage?: string;
  readonly requestId?: string;
}

const REGISTRY_TEXT_CHARS = 200;
// Control, format (bidi overrides, zero-width) and line/paragraph separators could forge extra
// lines or hide text in alerts and logs; half a surrogate pair is not valid UTF-8.
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+/gu;
const LONE_HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/**
 * Makes untrusted text safe for a one-line message: no control characters, no credentials,
 * bounded length. Credentials are cut out before the text is cut to length, never after: a cut
 * through a credential would leave a piece that no longer matches it.
 */
export function cleanText(text: string, secrets: readonly string[], maxChars = REGISTRY_TEXT_CHARS): string {
  // Cleaning never lengthens text, so twice the limit is plenty and a huge body stays cheap. A
  // credential cut at that end is still caught as a fragment, or lies past the final cut.
  const oneLine = text.slice(0, 2 * maxChars).replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return redact(oneLine, secrets).slice(0, maxChars).replace(LONE_HIGH_SURROGATE, '');
}

export function buildFailure(kind: MonitorFailureKind, context: RequestContext, details: FailureDetails): MonitorFailure {
  const status = details.httpStatus === undefined ? '' : ` -> HTTP ${details.httpStatus}`;
  const code = details.errorCode === undefined ? '' : `, error_code ${details.errorCode}`;
  const text = details.registryMessage ? `: ${details.registryMessage}` : '';
  return {
    kind,
    message: `${details.summary} (${context.method} ${context.path}${status}${code}${text})`,
    path: context.path,
    ...(details.httpStatus === undefined ? {} : { httpStatus: details.httpStatus }),
    ...(details.errorCode === undefined ? {} : { errorCode: details.errorCode }),
    ...(details.requestId ? { requestId: details.requestId } : {}),
  };
}

/**
 * Cuts credential fragments out of a whole failure, a last guard behind cleanText. Short
 * credentials are left to cleanText, which sees only the server's text: here they would mask
 * words of the monitor's own wording ("a" in "answered with a redirect").
 */
export function redactFailure(failure: MonitorFailure, secrets: readonly string[]): MonitorFailure {
  const cut = (text: string) => redactFragments(text, secrets);
  return {
    ...failure,
    message: cut(failure.message),
    ...(failure.path === undefined ? {} : { path: cut(failure.path) }),
    ...(failure.requestId === undefined ? {} : { requestId: cut(failure.requestId) }),
  };
}

/** A registry failure, or undefined when the request never started (no time left): that is no failure. */
export function failureOf(error: unknown): MonitorFailure | undefined {
  if (error instanceof RegistryReadError) return error.failure;
  if (error instanceof RequestNotStartedError) return undefined;
  throw error;
}
