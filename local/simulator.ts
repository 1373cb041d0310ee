/**
 * A Schema Registry that speaks the exporter API over real HTTP on 127.0.0.1, for the tests, the
 * benchmark and the local demo. It follows the OpenAPI specs where the client can tell the
 * difference (paths, content types, error bodies, 40450, rate-limit headers, OAuth headers) and
 * lets tests inject the faults real registries and proxies produce.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import type { RegistryCredentials } from '../lambda/registry/registry-client.js';

/**
 * What a failed exporter's status carries. The first line was seen in the wild; the frames are
 * illustrative, shaped like the registry client's own.
 */
export const SAMPLE_TRACE = [
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest(RestService.java:336)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.httpRequest(RestService.java:409)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.registerSchema(RestService.java:597)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.registerSchema(RestService.java:581)',
  '\tat io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient.registerAndGetId(CachedSchemaRegistryClient.java:353)',
  '\tat io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient.register(CachedSchemaRegistryClient.java:498)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.registerSchema(SchemaExporterWorker.java:412)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.exportSubject(SchemaExporterWorker.java:365)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.exportContext(SchemaExporterWorker.java:318)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.startExport(SchemaExporterWorker.java:271)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.run(SchemaExporterWorker.java:196)',
  '\tat io.confluent.schema.exporter.SchemaExporter.lambda$startExporter$4(SchemaExporter.java:503)',
  '\tat io.confluent.kafka.schemaregistry.storage.KafkaStore.lambda$forEach$1(KafkaStore.java:455)',
  '\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
  '\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)',
  '\tat java.base/java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask.run(ScheduledThreadPoolExecutor.java:304)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)',
  '\tat io.confluent.kafka.schemaregistry.utils.NamedThreadFactory.lambda$newThread$0(NamedThreadFactory.java:46)',
  '\tat java.base/java.lang.Thread.run(Thread.java:840)',
].join('\n');

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const OAUTH_CONTENT_TYPE = 'application/json';
const DEFAULT_RECORDED_REQUESTS = 10_000;
const DEFAULT_TOKEN_LIFETIME_S = 3600;
const WINDOW_MS = 1000;

export interface SimulatedExporter {
  readonly name: string;
  readonly state: string;
  readonly offset: number;
  readonly ts: number;
  /** '' when healthy, as after a resume. */
  readonly trace: string;
}

export interface ExporterInput {
  readonly name: string;
  readonly state: string;
  /** Default -1: nothing exported yet. */
  readonly offset?: number;
  /** Default: now. */
  readonly ts?: number;
  readonly trace?: string;
}

/** What the registry accepts: the client's none and basic credentials, or an OAuth server side. */
export type SimulatorAuth =
  | Exclude<RegistryCredentials, { kind: 'oauth' }>
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      /** Required in `target-sr-cluster`. */
      readonly logicalCluster: string;
      /** When set, required in `Confluent-Identity-Pool-Id` (403 otherwise). */
      readonly identityPoolId?: string;
      /** `expires_in` of issued tokens. Default 3600. */
      readonly tokenLifetimeSeconds?: number;
    };

export interface SimulatorOptions {
  /** Default 0: any free port. */
  readonly port?: number;
  readonly auth?: SimulatorAuth;
  /** Registry requests allowed in any sliding 1 s window; beyond it, 429. Unlimited when absent. */
  readonly requestsPerSecond?: number;
  /** Delay added to every response. Default 0. */
  readonly latencyMs?: number;
  /** How many recent requests `recordedRequests` keeps. Default 10,000. */
  readonly maxRecordedRequests?: number;
}

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

export type RequestKind = 'list' | 'status' | 'info' | 'pause' | 'resume' | 'delete' | 'token' | 'other';

export interface RecordedRequest {
  readonly method: string;
  /** Raw path as sent, without query. */
  readonly path: string;
  readonly kind: RequestKind;
  /** The exporter name, decoded exactly once from the path. */
  readonly exporterName?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Arrival time, `performance.now()` milliseconds. */
  readonly at: number;
}

export interface SimulatorStats {
  /** Registry requests (token requests excluded). */
  readonly requests: number;
  readonly tokenRequests: number;
  /** Registry requests that arrived while the sliding window was already at the budget. */
  readonly overBudget: number;
  readonly byKind: Readonly<Record<RequestKind, number>>;
}

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface Arrival {
  readonly fault: Fault | undefined;
  readonly overBudget: boolean;
  readonly at: number;
}

interface Target {
  readonly kind: RequestKind;
  readonly name?: string;
  readonly malformed?: boolean;
}

const ROUTES: Readonly<Record<string, RequestKind>> = {
  'GET /exporters': 'list',
  'GET /exporters/{name}': 'info',
  'DELETE /exporters/{name}': 'delete',
  'GET /exporters/{name}/status': 'status',
  'PUT /exporters/{name}/pause': 'pause',
  'PUT /exporters/{name}/resume': 'resume',
  'POST /oauth/token': 'token',
};

/** Splits before decoding, so an encoded `/` stays inside the name; the name is decoded once. */
function route(method: string, rawPath: string): Target {
  const segments = rawPath.split('/');
  const hasName = segments[1] === 'exporters' && segments.length > 2;
  const shape = hasName ? ['', 'exporters', '{name}', ...segments.slice(3)].join('/') : rawPath;
  const kind = ROUTES[`${method} ${shape}`] ?? 'other';
  if (!hasName || kind === 'other') return { kind };
  try {
    return { kind, name: decodeURIComponent(segments[2]!) };
  } catch {
    return { kind, malformed: true };
  }
}

function json(status: number, value: unknown, contentType = REGISTRY_CONTENT_TYPE): Reply {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(value) };
}

function registryError(status: number, errorCode: number, message: string): Reply {
  return json(status, { error_code: errorCode, message });
}

const UNAUTHORIZED = registryError(401, 401, 'Unauthorized');
const NOT_FOUND = registryError(404, 404, 'HTTP 404 Not Found');

function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function emptyCounts(): Record<RequestKind, number> {
  return { list: 0, status: 0, info: 0, pause: 0, resume: 0, delete: 0, token: 0, other: 0 };
}

export class RegistrySimulator {
  /** Delay added to every response; may be changed while running. */
  latencyMs: number;
  private readonly server: Server;
  private readonly exporterMap = new Map<string, SimulatedExporter>();
  private readonly faults: { fault: Fault; remaining: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tokens = new Map<string, number>();
  private readonly arrivals: number[] = [];
  private recorded: RecordedRequest[] = [];
  private auth: SimulatorAuth;
  private counts = { requests: 0, tokenRequests: 0, overBudget: 0, byKind: emptyCounts() };
  private sequence = 0;
  private port = 0;

  private constructor(private readonly options: SimulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.auth = options.auth ?? { kind: 'none' };
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
  }

  static async start(options: SimulatorOptions = {}): Promise<RegistrySimulator> {
    const simulator = new RegistrySimulator(options);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    simulator.port = (simulator.server.address() as AddressInfo).port;
    return simulator;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/oauth/token`;
  }

  get exporters(): ReadonlyMap<string, SimulatedExporter> {
    return this.exporterMap;
  }

  get stats(): SimulatorStats {
    return { ...this.counts, byKind: { ...this.counts.byKind } };
  }

  /** The most recent requests, oldest first. */
  get recordedRequests(): readonly RecordedRequest[] {
    return this.recorded.slice(-this.maxRecorded);
  }

  resetStats(): void {
    this.counts = { requests: 0, tokenRequests: 0, overBudget: 0, byKind: emptyCounts() };
    this.recorded = [];
  }

  setExporter(input: ExporterInput): SimulatedExporter {
    const exporter = { offset: -1, ts: Date.now(), trace: '', ...input };
    this.exporterMap.set(input.name, exporter);
    return exporter;
  }

  removeExporter(name: string): boolean {
    return this.exporterMap.delete(name);
  }

  /** Creates `prefix0001` ... `prefixNNNN` (zero-padded so they sort), all alike; returns their names. */
  addExporters(count: number, prefix = 'exporter-', template: Omit<ExporterInput, 'name'> = { state: 'RUNNING' }): string[] {
    const width = String(count).length;
    return Array.from({ length: count }, (_, index) => {
      const name = `${prefix}${String(index + 1).padStart(width, '0')}`;
      this.setExporter({ ...template, name });
      return name;
    });
  }

  injectFault(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? 1 });
  }

  /**
   * Accepts these credentials from now on and the old ones no longer, as when a key is rotated
   * and the old one revoked at once. Issued OAuth tokens stay valid until they expire.
   */
  rotateCredentials(auth: SimulatorAuth): void {
    this.auth = auth;
  }

  /** Makes every issued OAuth token invalid, as when the registry stops trusting them early. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private get maxRecorded(): number {
    return this.options.maxRecordedRequests ?? DEFAULT_RECORDED_REQUESTS;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    const target = route(method, path);
    const body = await text(request);
    const exporterName = target.name === undefined ? {} : { exporterName: target.name };
    this.record({ method, path, kind: target.kind, ...exporterName, headers: request.headers, body, at });
    const overBudget = target.kind !== 'token' && this.arrive(at);
    const fault = this.takeFault(method, path);
    const reply = this.reply(target, request.headers, body, { fault, overBudget, at });
    const requestId = `sim-${++this.sequence}`;
    this.later(this.latencyMs + (fault?.delayMs ?? 0), () => deliver(response, reply, requestId, fault));
  }

  /** A fault's own answer wins, then the rate limit, then the registry itself. */
  private reply(target: Target, headers: IncomingHttpHeaders, body: string, arrival: Arrival): Reply {
    const { fault } = arrival;
    if (fault && (fault.status !== undefined || fault.body !== undefined)) return faultReply(fault);
    if (arrival.overBudget) return this.tooManyRequests(arrival.at);
    return this.answer(target, headers, body);
  }

  private record(request: RecordedRequest): void {
    if (request.kind === 'token') this.counts.tokenRequests += 1;
    else this.counts.requests += 1;
    this.counts.byKind[request.kind] += 1;
    this.recorded.push(request);
    // Trimmed in batches so recording stays O(1) per request.
    if (this.recorded.length >= 2 * this.maxRecorded) this.recorded = this.recorded.slice(-this.maxRecorded);
  }

  /** Counts an arrival in the sliding window; true when it is over the budget. */
  private arrive(at: number): boolean {
    const budget = this.options.requestsPerSecond;
    if (budget === undefined) return false;
    while (this.arrivals.length > 0 && this.arrivals[0]! <= at - WINDOW_MS) this.arrivals.shift();
    this.arrivals.push(at);
    const over = this.arrivals.length > budget;
    if (over) this.counts.overBudget += 1;
    return over;
  }

  private tooManyRequests(at: number): Reply {
    const resetSeconds = String(Math.max(1, Math.ceil((this.arrivals[0]! + WINDOW_MS - at) / 1000)));
    const reply = registryError(429, 429, 'Rate limit exceeded');
    return {
      ...reply,
      headers: {
        ...reply.headers,
        'retry-after': resetSeconds,
        'x-ratelimit-limit': String(this.options.requestsPerSecond),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': resetSeconds,
      },
    };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(({ fault }) =>
      (fault.method === undefined || fault.method === method) &&
      (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path)),
    );
    if (index < 0) return undefined;
    const entry = this.faults[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  private later(ms: number, action: () => void): void {
    if (ms <= 0) return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private answer(target: Target, headers: IncomingHttpHeaders, body: string): Reply {
    if (target.kind === 'token') return this.issueToken(headers, body);
    const refusal = this.refusal(headers);
    if (refusal) return refusal;
    if (target.malformed) return registryError(400, 400, 'Bad Request: malformed percent-encoding');
    if (target.kind === 'list') return json(200, [...this.exporterMap.keys()]);
    if (target.kind === 'other' || target.name === undefined) return NOT_FOUND;
    const exporter = this.exporterMap.get(target.name);
    if (!exporter) return registryError(404, 40450, `Exporter '${target.name}' not found.`);
    return this.exporterOperation(target.kind, exporter);
  }

  private exporterOperation(kind: RequestKind, exporter: SimulatedExporter): Reply {
    const { name } = exporter;
    switch (kind) {
      case 'status':
        return json(200, { name, state: exporter.state, offset: exporter.offset, ts: exporter.ts, trace: exporter.trace });
      case 'pause':
        this.setExporter({ ...exporter, state: 'PAUSED' });
        return json(200, { name });
      case 'resume':
        this.setExporter({ ...exporter, state: 'RUNNING', trace: '' });
        return json(200, { name });
      case 'delete':
        this.removeExporter(name);
        return json(200, { name });
      default:
        return json(200, { name, subjects: ['*'], contextType: 'AUTO', context: '.', subjectRenameFormat: '${subject}', config: {} });
    }
  }

  private refusal(headers: IncomingHttpHeaders): Reply | undefined {
    const auth = this.auth;
    if (auth.kind === 'none') return undefined;
    if (auth.kind === 'basic') {
      return headers.authorization === basicHeader(auth.apiKey, auth.apiSecret) ? undefined : UNAUTHORIZED;
    }
    const token = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) return UNAUTHORIZED;
    if (headers['target-sr-cluster'] !== auth.logicalCluster) {
      return registryError(401, 401, 'Unauthorized: target-sr-cluster is missing or names another cluster');
    }
    if (auth.identityPoolId !== undefined && headers['confluent-identity-pool-id'] !== auth.identityPoolId) {
      return registryError(403, 403, 'Forbidden: the identity pool has no access to this cluster');
    }
    return undefined;
  }

  /** OAuth client credentials grant; client authentication as HTTP Basic or form fields. */
  private issueToken(headers: IncomingHttpHeaders, body: string): Reply {
    const auth = this.auth;
    if (auth.kind !== 'oauth') return NOT_FOUND;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type' }, OAUTH_CONTENT_TYPE);
    }
    const [clientId, clientSecret] = basicCredentials(headers.authorization) ?? [form.get('client_id'), form.get('client_secret')];
    if (clientId !== auth.clientId || clientSecret !== auth.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, OAUTH_CONTENT_TYPE);
    }
    const lifetime = auth.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_S;
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + lifetime * 1000);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime }, OAUTH_CONTENT_TYPE);
  }
}

function faultReply(fault: Fault): Reply {
  const status = fault.status ?? 200;
  return {
    status,
    headers: { 'content-type': fault.contentType ?? REGISTRY_CONTENT_TYPE, ...fault.headers },
    body: fault.body ?? JSON.stringify({ error_code: status, message: STATUS_CODES[status] ?? 'Error' }),
  };
}

function deliver(response: ServerResponse, reply: Reply, requestId: string, fault: Fault | undefined): void {
  if (fault?.reset) {
    response.socket?.destroy();
    return;
  }
  const body = fault?.truncate ? reply.body.slice(0, Math.floor(reply.body.length / 2)) : reply.body;
  response.writeHead(reply.status, {
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(body),
    ...reply.headers,
  });
  response.end(body);
}
