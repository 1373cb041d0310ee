/**
 * The simulated registry's schemas: subjects with versions and ids, in every context, and the
 * schema log they were written to (an exporter's offset is a position in it). Answers
 * `GET /schemas` (subjectPrefix, latestOnly, offset, limit) and `GET /subjects` as Schema
 * Registry does, so the monitor's listings and paging run against the real shapes.
 */
import { parseSubject } from '../lambda/core/subject-mapping.js';
import { json, type Reply } from './simulator-http.js';

/** One write to the schema log. */
export interface LoggedSchema {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  /** When it was registered, on the simulator's clock. */
  readonly at: number;
}

/** What `GET /schemas` returns per schema (the schema text is a placeholder). */
const schemaText = (subject: string, version: number) => JSON.stringify({ type: 'record', name: `r${version}`, namespace: subject.replace(/\W/g, '_'), fields: [] });

export class SimulatedSchemas {
  /** The schema log: offset N is entry N. */
  private readonly log: LoggedSchema[] = [];
  private readonly versions = new Map<string, LoggedSchema[]>();
  private nextId = 100_001;

  /** Registers a new version of `subject` (qualified for a context: `:.ctx:name`); `id` as an import would keep it. */
  register(subject: string, at: number, id?: number): LoggedSchema {
    const history = this.versions.get(subject) ?? [];
    const entry = { subject, version: history.length + 1, id: id ?? this.nextId++, at };
    if (id !== undefined) this.nextId = Math.max(this.nextId, id + 1);
    this.versions.set(subject, [...history, entry]);
    this.log.push(entry);
    return entry;
  }

  /** Entries from log position `from` on, with their offsets. */
  since(from: number): readonly (LoggedSchema & { readonly offset: number })[] {
    return this.log.slice(Math.max(0, from)).map((entry, index) => ({ ...entry, offset: Math.max(0, from) + index }));
  }

  latestVersion(subject: string): LoggedSchema | undefined {
    return this.versions.get(subject)?.at(-1);
  }

  /** `GET /schemas?subjectPrefix=…&latestOnly=…&offset=…&limit=…`; `:*:` selects every context. */
  answerSchemas(query: URLSearchParams): Reply {
    const prefix = query.get('subjectPrefix') ?? '';
    const latestOnly = query.get('latestOnly') === 'true';
    const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 1000) || 1000));
    const selected = [...this.versions.keys()]
      .filter((subject) => matchesPrefix(subject, prefix))
      .sort()
      .flatMap((subject) => (latestOnly ? [this.latestVersion(subject)!] : this.versions.get(subject)!));
    return json(
      200,
      selected.slice(offset, offset + limit).map(({ subject, version, id }) => ({ subject, version, id, schema: schemaText(subject, version) })),
    );
  }

  /** `GET /subjects`: every subject of every context, qualified. */
  answerSubjects(): Reply {
    return json(200, [...this.versions.keys()].sort());
  }
}

/** `:*:` is every context; an empty prefix is the default context only, as on the registry. */
function matchesPrefix(subject: string, prefix: string): boolean {
  if (prefix === ':*:') return true;
  if (prefix === '') return parseSubject(subject).context === '.';
  return subject.startsWith(prefix);
}
