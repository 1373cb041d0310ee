/**
 * Schema Linking in the simulator: an exporter's definition, and the copying it does into a
 * destination registry. Copying is driven by the simulator's clock: whenever the exporter's
 * status is read, it first copies what was registered at least `lagMs` before now, so a test or
 * the demo decides exactly what has arrived. Faults: a frozen link copies nothing (RUNNING, offset
 * still); a skipped subject is never copied.
 */
import type { ExporterDefinition } from '../lambda/core/replication-model.js';
import { destinationSubject, formatSubject, inScope } from '../lambda/core/subject-mapping.js';
import type { SimulatedSchemas } from './simulated-schemas.js';

/** Where a link copies to: the destination simulator's schemas and address. */
export interface LinkDestination {
  readonly baseUrl: string;
  readonly schemas: SimulatedSchemas;
}

export interface LinkInput {
  readonly destination: LinkDestination;
  readonly subjects?: readonly string[];
  readonly contextType?: string;
  readonly context?: string | null;
  readonly subjectRenameFormat?: string | null;
  /** How long after its registration a schema is copied. Default 0. */
  readonly lagMs?: number;
}

/** The context an AUTO link writes to, as Confluent Cloud names it after the source cluster. */
export const SIMULATED_AUTO_CONTEXT = '.lsrc-simulated';

export class SimulatedLink {
  readonly definition: ExporterDefinition;
  private readonly skipped = new Set<string>();
  private frozen = false;
  /** The next log position to copy. */
  private position = 0;

  constructor(
    name: string,
    private readonly input: LinkInput,
  ) {
    this.definition = {
      name,
      subjects: input.subjects ?? ['*'],
      contextType: input.contextType ?? 'AUTO',
      context: input.context === undefined ? '.' : input.context,
      subjectRenameFormat: input.subjectRenameFormat === undefined ? '${subject}' : input.subjectRenameFormat,
      destinationUrl: input.destination.baseUrl,
    };
  }

  /** The definition as `GET /exporters/{name}` shows it, with the destination's credentials in its config as a real one has. */
  get answer(): Record<string, unknown> {
    const { name, subjects, contextType, context, subjectRenameFormat } = this.definition;
    return {
      name,
      subjects,
      contextType,
      context,
      subjectRenameFormat,
      config: { 'schema.registry.url': this.input.destination.baseUrl, 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'DST-KEY:DST-SECRET-never-logged' },
    };
  }

  freeze(): void {
    this.frozen = true;
  }

  unfreeze(): void {
    this.frozen = false;
  }

  skip(subject: string): void {
    this.skipped.add(subject);
  }

  /** Copies what is due by `now`; the new offset and time of the last copy, or undefined when nothing moved. */
  copy(source: SimulatedSchemas, now: number): { readonly offset: number; readonly ts: number } | undefined {
    if (this.frozen) return undefined;
    const due = source.since(this.position).filter((entry) => entry.at <= now - (this.input.lagMs ?? 0));
    if (due.length === 0) return undefined;
    for (const entry of due) {
      if (!inScope(this.definition, entry.subject) || this.skipped.has(entry.subject)) continue;
      const target = destinationSubject(this.definition, entry.subject);
      if (target === undefined) continue;
      const subject =
        target.kind === 'exact' ? target.subject : formatSubject({ context: `${SIMULATED_AUTO_CONTEXT}${target.contextSuffix}`, name: target.name });
      this.input.destination.schemas.register(subject, now, entry.id);
    }
    this.position = due.at(-1)!.offset + 1;
    return { offset: due.at(-1)!.offset, ts: now };
  }
}
