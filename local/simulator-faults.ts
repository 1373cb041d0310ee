/** The faults tests inject into the simulated registry: the misbehaviour real registries and proxies show. */
import { STATUS_CODES } from 'node:http';
import { REGISTRY_CONTENT_TYPE, type Reply } from './simulator-http.js';

/** A one-off (or `times`-off) misbehaviour for requests whose raw path matches. */
export interface Fault {
  /** Matched against the raw request path as sent (still percent-encoded, no query). */
  readonly path: string | RegExp;
  readonly method?: string;
  /** With `status` or `body`, this answer replaces the real one (status default 200). */
  readonly status?: number;
  /** Default: a registry error body `{"error_code": status, "message": ...}`. */
  readonly body?: string;
  /** Default: the registry's content type. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Added to the latency before answering. */
  readonly delayMs?: number;
  /** Destroy the connection instead of answering (connection reset). */
  readonly reset?: boolean;
  /** Send only the first half of the body, correctly framed. */
  readonly truncate?: boolean;
  /** How many matching requests it applies to. Default 1. */
  readonly times?: number;
}

/** Faults waiting for their requests; the first injected that matches a request applies to it. */
export class PendingFaults {
  private readonly pending: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault): void {
    this.pending.push({ fault, remaining: fault.times ?? 1 });
  }

  /** The fault that applies to this request, counted as used. */
  take(method: string, path: string): Fault | undefined {
    const index = this.pending.findIndex(({ fault }) =>
      (fault.method === undefined || fault.method === method) &&
      (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path)),
    );
    if (index < 0) return undefined;
    const entry = this.pending[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** The answer a fault gives instead of the registry's, when it has a status or a body. */
export function replacementReply(fault: Fault | undefined): Reply | undefined {
  if (!fault || (fault.status === undefined && fault.body === undefined)) return undefined;
  const status = fault.status ?? 200;
  return {
    status,
    headers: { 'content-type': fault.contentType ?? REGISTRY_CONTENT_TYPE, ...fault.headers },
    body: fault.body ?? JSON.stringify({ error_code: status, message: STATUS_CODES[status] ?? 'Error' }),
  };
}
