/**
 * How a failed read is reported. Everything here ends up in alerts and logs, so the text is one
 * short line, registry-supplied parts are treated as untrusted, and secrets are cut out.
 */
import type { MonitorFailure, MonitorFailureKind } from '../core/model.js';

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
// lines or hide text in alerts and logs.
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
const LONE_HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/** Makes untrusted text safe for a one-line message: no control characters, bounded length. */
export function cleanText(text: string, maxChars = REGISTRY_TEXT_CHARS): string {
  const oneLine = text.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.slice(0, maxChars).replace(LONE_HIGH_SURROGATE, '');
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

/** Cuts known secrets out of a failure, in case a server echoes a credential back. */
export function redactFailure(failure: MonitorFailure, secrets: readonly string[]): MonitorFailure {
  const redact = (text: string) => secrets.reduce((result, secret) => result.split(secret).join('***'), text);
  return {
    ...failure,
    message: redact(failure.message),
    ...(failure.requestId === undefined ? {} : { requestId: redact(failure.requestId) }),
  };
}
