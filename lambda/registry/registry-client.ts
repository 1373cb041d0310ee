/**
 * Reads exporter statuses from one Schema Registry without hurting it: every request goes through
 * one paced queue (the registry's rate limit is shared with production clients), failures are
 * retried only while the invocation has time, and every problem becomes a classified MonitorFailure
 * so a broken monitor is never mistaken for a broken exporter.
 */
import PQueue from 'p-queue';
import type { ExporterObservation } from '../core/model.js';
import type { ExporterDefinition, SubjectVersion } from '../core/replication-model.js';
import { type Deadline, START_MARGIN_MS } from '../deadline.js';
import { type Authorization, Authorizer, type RegistryCredentials } from './auth.js';
import { parseNames, parseStatus } from './bodies.js';
import { parseDefinition, parseSchemaPage } from './replication-bodies.js';
import {
  AttemptError,
  buildFailure,
  redactFailure,
  RegistryReadError,
  type RequestContext,
  RequestNotStartedError,
} from './errors.js';
import { ACCEPT, type BodyParser, interpret, send } from './http.js';
import { pacingFor } from './pacing.js';
import { type Exchange, fetchTransport, nodeTransport, type Transport } from './transport.js';

export type { RegistryCredentials } from './auth.js';
export { RegistryReadError, RequestNotStartedError } from './errors.js';

export interface RegistryClientOptions {
  readonly baseUrl: string;
  readonly credentials: RegistryCredentials;
  /** Pacing budget for this registry: starts never exceed it in any 1 s window (pacing.ts). */
  readonly requestsPerSecond: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  /** First try plus retries. Default 4. */
  readonly maxAttempts?: number;
  /** Cap of the exponential backoff. Default 5000. A server's Retry-After is honoured beyond it. */
  readonly maxBackoffMs?: number;
  /** Tests pass one to see or shape what is sent; the client uses Node's own HTTP client otherwise (transport.ts). */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source. */
  readonly random?: () => number;
  /** Clock of the OAuth token cache. */
  readonly now?: () => number;
}

export interface ReadOptions {
  /** Aborting it stops requests that have not started yet; they fail with RequestNotStartedError. */
  readonly signal?: AbortSignal;
  /**
   * Called as soon as the registry or the token endpoint refuses the credentials, before any
   * waiting request can start, so the caller can abort `signal` in time.
   */
  readonly onCredentialsRefused?: () => void;
}

const BASE_BACKOFF_MS = 200;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Run extends ReadOptions {
  readonly deadline: Deadline;
}

interface AnswerContext<T> {
  readonly context: RequestContext;
  readonly run: Run;
  readonly parse: BodyParser<T>;
  /** The OAuth token the request carried, if any. */
  readonly token: string | undefined;
  readonly tokenRenewed: boolean;
}

export class RegistryClient {
  private readonly queue: PQueue;
  private readonly auth: Authorizer;
  private readonly transport: Transport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly maxBackoffMs: number;
  private sent = 0;

  constructor(private readonly options: RegistryClientOptions) {
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeTransport;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    // Strict mode is a sliding window: it holds even across idle periods. The first request goes
    // alone (concurrency 1 until it is answered): a refused credential or a wrong URL costs the
    // registry one request, not one for each request in flight.
    this.queue = new PQueue({ concurrency: 1, ...pacingFor(options.requestsPerSecond), strict: true });
    this.auth = new Authorizer(options.credentials, {
      send: this.transport,
      timeoutMs: options.requestTimeoutMs,
      now: options.now ?? Date.now,
    });
  }

  /** HTTP requests sent to the registry, retries included; token requests are counted in tokenRequestCount. */
  get requestCount(): number {
    return this.sent;
  }

  /** Requests sent to the OAuth token endpoint. */
  get tokenRequestCount(): number {
    return this.auth.tokenRequestCount;
  }

  /**
   * GET /exporters. Throws RegistryReadError for a monitor failure, RequestNotStartedError when
   * the deadline is near or `options.signal` was aborted before the request could start.
   */
  listExporters(deadline: Deadline, options: ReadOptions = {}): Promise<string[]> {
    return this.read('/exporters', { ...options, deadline }, parseNames);
  }

  /**
   * GET /exporters/{name}/status -> status, or missing for a 404 with error_code 40450 (and only
   * then). Throws like listExporters.
   */
  async getStatus(name: string, deadline: Deadline, options: ReadOptions = {}): Promise<ExporterObservation> {
    const path = `/exporters/${this.encodeName(name)}/status`;
    try {
      const status = await this.read(path, { ...options, deadline }, (body) => parseStatus(body, name));
      return { kind: 'status', status };
    } catch (error) {
      if (error instanceof RegistryReadError && error.failure.httpStatus === 404 && error.failure.errorCode === 40450) {
        return { kind: 'missing' };
      }
      throw error;
    }
  }

  /** GET /exporters/{name}: what the exporter copies and where. Throws like listExporters. */
  getDefinition(name: string, deadline: Deadline, options: ReadOptions = {}): Promise<ExporterDefinition> {
    return this.read(`/exporters/${this.encodeName(name)}`, { ...options, deadline }, (body) => parseDefinition(body, name));
  }

  /**
   * One page of GET /schemas: the latest version of each subject whose qualified name starts
   * with `subjectPrefix` (`:*:` for every context). Throws like listExporters.
   */
  listLatestSchemaPage(subjectPrefix: string, offset: number, limit: number, deadline: Deadline, options: ReadOptions = {}): Promise<SubjectVersion[]> {
    const query = new URLSearchParams({ subjectPrefix, latestOnly: 'true', offset: String(offset), limit: String(limit) });
    return this.read(`/schemas?${query}`, { ...options, deadline }, parseSchemaPage);
  }

  /**
   * PUT /exporters/{name}/resume. A 409 with error code 40961 (already running) is an outcome, not
   * a failure: someone or something resumed it first. Throws like listExporters. Safe to retry:
   * resuming a running exporter changes nothing.
   */
  async resume(name: string, deadline: Deadline, options: ReadOptions = {}): Promise<'resumed' | 'already-running'> {
    try {
      await this.read(`/exporters/${this.encodeName(name)}/resume`, { ...options, deadline }, () => undefined, 'PUT');
      return 'resumed';
    } catch (error) {
      if (error instanceof RegistryReadError && error.failure.httpStatus === 409 && error.failure.errorCode === 40961) return 'already-running';
      throw error;
    }
  }

  /**
   * URL parsers resolve `.` and `..` segments (also when percent-encoded), so those two names
   * would read another path; they are refused instead. So is a name holding half a surrogate
   * pair, which the registry can list (JSON carries "\ud800") but no URL can carry: it has no
   * UTF-8 form, and encodeURIComponent throws.
   */
  private encodeName(name: string): string {
    if (name === '.' || name === '..') throw this.unsendable(name, 'this exporter name cannot be sent in a URL path');
    try {
      return encodeURIComponent(name);
    } catch {
      // Escaped as in JSON: the half pair could not be stored or sent in a message either.
      const shown = JSON.stringify(name).slice(1, -1);
      throw this.unsendable(shown, 'this exporter name is not valid Unicode (it holds half a surrogate pair) and cannot be sent in a URL path');
    }
  }

  /** A read of this exporter that fails without a request. */
  private unsendable(shownName: string, summary: string): RegistryReadError {
    return new RegistryReadError(buildFailure('client-error', this.context(`/exporters/${shownName}/status`), { summary }));
  }

  private context(path: string, method = 'GET'): RequestContext {
    return { service: 'registry', method, path, secrets: () => this.auth.secrets() };
  }

  private async read<T>(path: string, run: Run, parse: BodyParser<T>, method = 'GET'): Promise<T> {
    const context = this.context(path, method);
    let failed: AttemptError | undefined;
    let attempts = 0;
    let tokenRenewed = false;
    for (;;) {
      try {
        return await this.attempt(context, run, parse, tokenRenewed);
      } catch (error) {
        // A retry that may not start ends with what went wrong before, not with "skipped".
        if (error instanceof RequestNotStartedError && failed) throw this.readError(failed);
        if (!(error instanceof AttemptError)) throw error;
        failed = error;
      }
      if (failed.tokenRejected) {
        tokenRenewed = true;
        continue;
      }
      attempts += 1;
      const waitMs = this.retryWait(failed, attempts, run.deadline);
      if (waitMs === undefined) throw this.readError(failed);
      await this.sleep(waitMs);
    }
  }

  private async attempt<T>(context: RequestContext, run: Run, parse: BodyParser<T>, tokenRenewed: boolean): Promise<T> {
    this.assertMayStart(run);
    const authorization = await this.authorize(run);
    const init = { method: context.method, headers: { accept: ACCEPT, ...authorization.headers } };
    return this.paced(run, async () => {
      this.sent += 1;
      const exchange = await send(this.transport, this.options.baseUrl + context.path, init, this.options.requestTimeoutMs, context);
      return this.interpretAnswer(exchange, { context, run, parse, token: authorization.token, tokenRenewed });
    });
  }

  /** Reads that only waited for a token the endpoint refused were never sent: they count as not started. */
  private async authorize(run: Run): Promise<Authorization> {
    try {
      return await this.auth.authorize();
    } catch (error) {
      if (error instanceof AttemptError && error.failure.kind === 'credentials') {
        if (run.signal?.aborted) throw new RequestNotStartedError('stopped');
        run.onCredentialsRefused?.();
      }
      throw error;
    }
  }

  /** Runs inside the paced turn, so a refusal is reported before the next waiting request starts. */
  private interpretAnswer<T>(exchange: Exchange, answer: AnswerContext<T>): T {
    try {
      return interpret(exchange, answer.context, answer.parse);
    } catch (error) {
      if (!(error instanceof AttemptError) || error.failure.kind !== 'credentials') throw error;
      // A 401 to an OAuth token may only mean the token went stale: renew it once before giving up.
      if (exchange.status === 401 && answer.token !== undefined && !answer.tokenRenewed) {
        this.auth.forget(answer.token);
        throw error.withTokenRejected();
      }
      answer.run.onCredentialsRefused?.();
      throw error;
    }
  }

  /** Runs `task` in its paced turn; the deadline and the stop signal are checked when the turn comes. */
  private async paced<T>(run: Run, task: () => Promise<T>): Promise<T> {
    let started: Promise<T> | undefined;
    try {
      return await this.queue.add(
        () => {
          this.assertMayStart(run);
          started = task();
          // Only the first request waits on its answer to widen the queue; the rest add nothing.
          return this.queue.concurrency === this.options.concurrency ? started : started.finally(() => this.allowFullConcurrency());
        },
        { signal: run.signal },
      );
    } catch (error) {
      // p-queue also rejects when the signal aborts during a running task; a sent request keeps its answer.
      if (started) return started;
      if (run.signal?.aborted) throw new RequestNotStartedError('stopped');
      throw error;
    }
  }

  /** After the first answer (a refusal has stopped the run by then): the configured concurrency. */
  private allowFullConcurrency(): void {
    this.queue.concurrency = this.options.concurrency;
  }

  private assertMayStart(run: Run): void {
    if (run.signal?.aborted) throw new RequestNotStartedError('stopped');
    if (run.deadline.timeLeftMs() < this.options.requestTimeoutMs + START_MARGIN_MS) {
      throw new RequestNotStartedError('deadline');
    }
  }

  /** Capped full-jitter backoff, or the server's own wait; undefined when giving up. */
  private retryWait(failed: AttemptError, attempts: number, deadline: Deadline): number | undefined {
    if (!failed.retryable || attempts >= this.maxAttempts) return undefined;
    const waitMs =
      failed.waitHintMs ?? this.random() * Math.min(this.maxBackoffMs, BASE_BACKOFF_MS * 2 ** (attempts - 1));
    const timeForWaitMs = deadline.timeLeftMs() - this.options.requestTimeoutMs - START_MARGIN_MS;
    return waitMs <= timeForWaitMs ? waitMs : undefined;
  }

  private readError(failed: AttemptError): RegistryReadError {
    return new RegistryReadError(redactFailure(failed.failure, this.auth.secrets()));
  }
}
