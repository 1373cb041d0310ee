/** The simulated registry's exporters, and what the exporter API reads and does to them. */
import { type LinkInput, SimulatedLink } from './simulated-links.js';
import type { SimulatedSchemas } from './simulated-schemas.js';
import { json, NOT_FOUND, registryError, type Reply, type RequestKind, type Target } from './simulator-http.js';

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

export class SimulatedExporters {
  private readonly byName = new Map<string, SimulatedExporter>();
  private readonly links = new Map<string, SimulatedLink>();

  constructor(
    private readonly schemas: SimulatedSchemas,
    private readonly now: () => number,
  ) {}

  get all(): ReadonlyMap<string, SimulatedExporter> {
    return this.byName;
  }

  set(input: ExporterInput): SimulatedExporter {
    const exporter = { offset: -1, ts: this.now(), trace: '', ...input };
    this.byName.set(input.name, exporter);
    return exporter;
  }

  remove(name: string): boolean {
    this.links.delete(name);
    return this.byName.delete(name);
  }

  /** Gives exporter `name` a definition and a destination it copies to (see simulated-links.ts). */
  link(name: string, input: LinkInput): SimulatedLink {
    const link = new SimulatedLink(name, input);
    this.links.set(name, link);
    return link;
  }

  linkOf(name: string): SimulatedLink | undefined {
    return this.links.get(name);
  }

  /** Creates `prefix0001` ... `prefixNNNN` (zero-padded so they sort), all alike; returns their names. */
  addMany(count: number, prefix: string, template: Omit<ExporterInput, 'name'>): string[] {
    const width = String(count).length;
    return Array.from({ length: count }, (_, index) => {
      const name = `${prefix}${String(index + 1).padStart(width, '0')}`;
      this.set({ ...template, name });
      return name;
    });
  }

  /** The registry's answer to an exporter API request that was let in. */
  answer(target: Target): Reply {
    if (target.malformed) return registryError(400, 400, 'Bad Request: malformed percent-encoding');
    if (target.kind === 'list') return json(200, [...this.byName.keys()]);
    if (target.kind === 'other' || target.name === undefined) return NOT_FOUND;
    const exporter = this.byName.get(target.name);
    if (!exporter) return registryError(404, 40450, `Exporter '${target.name}' not found.`);
    return this.operation(target.kind, exporter);
  }

  private operation(kind: RequestKind, exporter: SimulatedExporter): Reply {
    const { name } = exporter;
    switch (kind) {
      case 'status': {
        const { state, offset, ts, trace } = this.copied(exporter);
        return json(200, { name, state, offset, ts, trace });
      }
      case 'pause':
        this.set({ ...exporter, state: 'PAUSED' });
        return json(200, { name });
      case 'resume':
        this.set({ ...exporter, state: 'RUNNING', trace: '' });
        return json(200, { name });
      case 'delete':
        this.remove(name);
        return json(200, { name });
      default:
        return json(200, this.links.get(name)?.answer ?? { name, subjects: ['*'], contextType: 'AUTO', context: '.', subjectRenameFormat: '${subject}', config: {} });
    }
  }

  /** A linked exporter that copies (RUNNING or STARTING) first copies what is due, moving its offset. */
  private copied(exporter: SimulatedExporter): SimulatedExporter {
    const link = this.links.get(exporter.name);
    if (link === undefined || (exporter.state !== 'RUNNING' && exporter.state !== 'STARTING')) return exporter;
    const moved = link.copy(this.schemas, this.now());
    return moved === undefined ? exporter : this.set({ ...exporter, ...moved });
  }
}
