/**
 * What an exporter is supposed to copy, and what the source and destination registries hold:
 * the vocabulary of stall detection and drift verification. Pure data, shared by the registry
 * readers, the core rules, the CLI and the simulator.
 */

/**
 * How an exporter places subjects at the destination (Confluent's `contextType`). Open-ended like
 * exporter states: a value not listed here is kept as given and never guessed at.
 *  - AUTO: into the context `.{exporter name}` (the default).
 *  - CUSTOM: into the context named by `context`.
 *  - NONE: into the destination's default context, names unchanged.
 *  - DEFAULT: into the default context (Confluent Cloud; same placement as NONE).
 */
export type ContextType = string;

/** `GET /exporters/{name}`: what an exporter copies and where it puts it. */
export interface ExporterDefinition {
  readonly name: string;
  /** Subject names or patterns to copy; `["*"]` (or empty) copies every subject of the source context. */
  readonly subjects: readonly string[];
  readonly contextType: ContextType;
  /** The destination context for CUSTOM; for others the registry may echo a value that is not used. */
  readonly context: string | null;
  /** For example `dc1.${subject}`; null or `${subject}` keeps names as they are. */
  readonly subjectRenameFormat: string | null;
  /** Which source context the subjects come from (`subjectContextPrefix`... in the registry; "." = default). */
  readonly sourceContext?: string;
  /** `schema.registry.url` from the exporter's config, when the registry shows it (never its credentials). */
  readonly destinationUrl?: string;
}

/** One subject's latest version at a registry, as `GET /schemas?latestOnly=true` lists it. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  /** The schema id; exporters keep ids unless the destination already used them. */
  readonly id: number;
}

/** What one listing of a registry returned (every context). */
export interface ScopeListing {
  /** Latest version of every subject in the scope, by qualified subject name. */
  readonly latest: ReadonlyMap<string, SubjectVersion>;
}

/** Differences between what the source holds for an exporter and what the destination holds. */
export interface DriftReport {
  /** Source subjects (source names) whose mapped subject is absent at the destination. */
  readonly missingSubjects: readonly string[];
  /** Subjects present at the destination whose latest version is behind the source's. */
  readonly missingVersions: readonly { readonly subject: string; readonly source: number; readonly destination: number }[];
  /** Same subject and version, different schema id. */
  readonly idMismatches: readonly { readonly subject: string; readonly version: number; readonly source: number; readonly destination: number }[];
  /** Source subjects compared. */
  readonly compared: number;
}
