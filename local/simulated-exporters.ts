/** The simulated registry's exporters, and what the exporter API reads and does to them. */
import { traceOf } from './pause-traces.js';
import { type LinkInput, SimulatedLink } from './simulated-links.js';
import type { SimulatedSchemas } from './simulated-schemas.js';
import { json, NOT_FOUND, registryError, type Reply, type RequestKind, type Target } from './simulator-http.js';

/** What a failed exporter's status carries: a destination subject not in IMPORT mode, as seen in the wild. */
export const SAMPLE_TRACE = traceOf('import-mode');

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
  /** Exporters whose resumes do not hold (see relapse). */
  private readonly relapsing = new Set<string>();

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

  /** Resumes of exporter `name` are accepted, but it fails again at once: still PAUSED, same trace. */
  relapse(name: string, relapsing: boolean): void {
    if (relapsing) this.relapsing.add(name);
    else this.relapsing.delete(name);
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
        if (exporter.state === 'RUNNING') return registryError(409, 40961, `Exporter '${name}' is already running.`);
        if (!this.relapsing.has(name)) this.set({ ...exporter, state: 'RUNNING', trace: '' });
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
