/**
 * A Schema Registry that speaks the exporter API over real HTTP on 127.0.0.1, for the tests, the
 * benchmark and the local demo. It follows the OpenAPI specs where the client can tell the
 * difference (paths, content types, error bodies, 40450, rate-limit headers, OAuth headers) and
 * lets tests inject the faults real registries and proxies produce. This file is the server;
 * the registry's parts are in the simulator-*.ts and simulated-exporters.ts files beside it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { type ExporterInput, type SimulatedExporter, SimulatedExporters } from './simulated-exporters.js';
import type { LinkInput } from './simulated-links.js';
import { SimulatedSchemas } from './simulated-schemas.js';
import type { PauseCause } from '../lambda/core/pause-cause.js';
import { traceOf } from './pause-traces.js';
import { AccessControl, type SimulatorAuth } from './simulator-auth.js';
import { type Fault, PendingFaults, replacementReply } from './simulator-faults.js';
import { type Reply, route, type Target } from './simulator-http.js';
import { SlidingWindowLimit } from './simulator-rate-limit.js';
import { type RecordedRequest, RequestLog, type SimulatorStats } from './simulator-requests.js';

export { type ExporterInput, SAMPLE_TRACE, type SimulatedExporter } from './simulated-exporters.js';
export type { SimulatorAuth } from './simulator-auth.js';
export type { Fault } from './simulator-faults.js';
export type { RequestKind } from './simulator-http.js';
export type { RecordedRequest, SimulatorStats } from './simulator-requests.js';

const DEFAULT_RECORDED_REQUESTS = 10_000;

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
  /** The registry's clock: exporters' `ts`, schema registration times and when linked exporters copy. Default Date.now. */
  readonly now?: () => number;
  /** A second API key, the only one allowed to pause, resume and delete exporters. Default: `auth` may. */
  readonly writer?: Extract<SimulatorAuth, { kind: 'basic' }>;
}

interface Arrival {
  readonly fault: Fault | undefined;
  readonly overBudget: boolean;
  readonly at: number;
}

export class RegistrySimulator {
  /** Delay added to every response; may be changed while running. */
  latencyMs: number;
  private readonly server: Server;
  private readonly schemas = new SimulatedSchemas();
  private readonly exporterSet: SimulatedExporters;
  private readonly now: () => number;
  private readonly faults = new PendingFaults();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly access: AccessControl;
  private readonly rateLimit: SlidingWindowLimit;
  private readonly requests: RequestLog;
  private sequence = 0;
  private port = 0;

  private constructor(options: SimulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? Date.now;
    this.exporterSet = new SimulatedExporters(this.schemas, this.now);
    this.access = new AccessControl(options.auth ?? { kind: 'none' }, options.writer);
    this.rateLimit = new SlidingWindowLimit(options.requestsPerSecond);
    this.requests = new RequestLog(options.maxRecordedRequests ?? DEFAULT_RECORDED_REQUESTS);
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
    return this.exporterSet.all;
  }

  get stats(): SimulatorStats {
    return this.requests.stats;
  }

  /** The most recent requests, oldest first. */
  get recordedRequests(): readonly RecordedRequest[] {
    return this.requests.recent;
  }

  resetStats(): void {
    this.requests.reset();
  }

  setExporter(input: ExporterInput): SimulatedExporter {
    return this.exporterSet.set(input);
  }

  removeExporter(name: string): boolean {
    return this.exporterSet.remove(name);
  }

  /** Creates `prefix0001` ... `prefixNNNN` (zero-padded so they sort), all alike; returns their names. */
  addExporters(count: number, prefix = 'exporter-', template: Omit<ExporterInput, 'name'> = { state: 'RUNNING' }): string[] {
    return this.exporterSet.addMany(count, prefix, template);
  }

  /** Registers a new version of `subject` (`:.ctx:name` for another context) now; returns its version and id. */
  addSchema(subject: string, id?: number): { readonly version: number; readonly id: number } {
    const { version, id: assigned } = this.schemas.register(subject, this.now(), id);
    return { version, id: assigned };
  }

  /** The latest version of a subject here (a destination's copy, say), or undefined. */
  latestSchema(subject: string): { readonly version: number; readonly id: number } | undefined {
    const latest = this.schemas.latestVersion(subject);
    return latest && { version: latest.version, id: latest.id };
  }

  /** Makes exporter `name` copy into `destination` through its definition (Schema Linking). */
  linkExporter(name: string, destination: RegistrySimulator, definition: Omit<LinkInput, 'destination'> = {}): void {
    this.exporterSet.link(name, { ...definition, destination: { baseUrl: destination.baseUrl, schemas: destination.schemas } });
  }

  /** The fault of an exporter that says RUNNING and copies nothing: its offset stands still. */
  freezeExporter(name: string, frozen = true): void {
    const link = this.exporterSet.linkOf(name);
    if (frozen) link?.freeze();
    else link?.unfreeze();
  }

  /** Pauses exporter `name` with the trace the registry gives for `cause` (local/pause-traces.ts). */
  pauseExporter(name: string, cause: PauseCause): void {
    const exporter = this.exporterSet.all.get(name);
    if (exporter) this.exporterSet.set({ ...exporter, state: 'PAUSED', trace: traceOf(cause) });
  }

  /** A resume of exporter `name` is accepted but does not hold: it pauses again at once, with the same error. */
  relapseExporter(name: string, relapsing = true): void {
    this.exporterSet.relapse(name, relapsing);
  }

  /** A subject exporter `name` never copies (an id conflict on one subject, say). */
  skipSubject(name: string, subject: string): void {
    this.exporterSet.linkOf(name)?.skip(subject);
  }

  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  /**
   * Accepts these credentials from now on and the old ones no longer, as when a key is rotated
   * and the old one revoked at once. Issued OAuth tokens stay valid until they expire.
   */
  rotateCredentials(auth: SimulatorAuth): void {
    this.access.rotate(auth);
  }

  /** Makes every issued OAuth token invalid, as when the registry stops trusting them early. */
  revokeTokens(): void {
    this.access.revokeTokens();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const method = request.method ?? 'GET';
    const [path = '/', query = ''] = (request.url ?? '/').split('?');
    const target = route(method, path);
    const body = await text(request);
    const exporterName = target.name === undefined ? {} : { exporterName: target.name };
    this.requests.record({ method, path, kind: target.kind, ...exporterName, headers: request.headers, body, at });
    const overBudget = target.kind !== 'token' && this.rateLimit.arrive(at);
    if (overBudget) this.requests.countOverBudget();
    const fault = this.faults.take(method, path);
    const reply = this.reply(target, request.headers, body, { fault, overBudget, at }, new URLSearchParams(query));
    const requestId = `sim-${++this.sequence}`;
    this.later(this.latencyMs + (fault?.delayMs ?? 0), () => deliver(response, reply, requestId, fault));
  }

  /** A fault's own answer wins, then the rate limit, then the registry itself. */
  private reply(target: Target, headers: IncomingHttpHeaders, body: string, arrival: Arrival, query: URLSearchParams): Reply {
    const replacement = replacementReply(arrival.fault);
    if (replacement) return replacement;
    if (arrival.overBudget) return this.rateLimit.tooManyRequests(arrival.at);
    if (target.kind === 'token') return this.access.issueToken(headers, body);
    const writes = target.kind === 'pause' || target.kind === 'resume' || target.kind === 'delete';
    const refusal = writes ? this.access.writeRefusal(headers, target.name ?? '') : this.access.refusal(headers);
    if (refusal) return refusal;
    if (target.kind === 'schemas') return this.schemas.answerSchemas(query);
    if (target.kind === 'subjects') return this.schemas.answerSubjects();
    return this.exporterSet.answer(target);
  }

  private later(ms: number, action: () => void): void {
    if (ms <= 0) return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
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
