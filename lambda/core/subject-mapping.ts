/**
 * Where an exporter puts a source subject at the destination, as Confluent's Schema Linking
 * documents it (docs/schema-linking.md): the rename format replaces `${subject}` in the subject's
 * name, and the context type decides the context:
 *  - AUTO: the source context prefixed with a context the registry generates (`.lsrc-…` on
 *    Confluent Cloud). The monitor cannot know that name unless the definition reports it, so it
 *    then accepts the subject in any destination context that ends with the source context.
 *  - CUSTOM: the source context prefixed with `context`.
 *  - NONE: the source context as it is.
 *  - DEFAULT: the default context, whatever the source context.
 * Another context type is not guessed at: its subjects cannot be verified.
 */
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { ExporterDefinition, ScopeListing, SubjectVersion } from './replication-model.js';

/** The default context. */
export const DEFAULT_CONTEXT = '.';
/** Selects every subject in every context (Confluent's wildcard for contexts). */
export const ALL_CONTEXTS = ':*:';

export interface QualifiedSubject {
  /** `.` for the default context, else `.name` (`.a.b` for nested names). */
  readonly context: string;
  readonly name: string;
}

/** `:.ctx:name` -> {.ctx, name}; a name without a context prefix is in the default context. */
export function parseSubject(qualified: string): QualifiedSubject {
  const match = /^:(\.[^:]*):(.*)$/s.exec(qualified);
  return match ? { context: match[1]!, name: match[2]! } : { context: DEFAULT_CONTEXT, name: qualified };
}

export function formatSubject({ context, name }: QualifiedSubject): string {
  return context === DEFAULT_CONTEXT ? name : `:${context}:${name}`;
}

/**
 * Whether the exporter copies `subject`: one of its `subjects` selects it. A pattern names a
 * subject (`*` wildcards allowed) in the default context, or in a context when qualified
 * (`:.ctx:orders-*`); `:*:` selects every context. No subjects at all means `*`.
 */
export function inScope(definition: ExporterDefinition, subject: string): boolean {
  const parsed = parseSubject(subject);
  const patterns = definition.subjects.length === 0 ? ['*'] : definition.subjects;
  return patterns.some((pattern) => {
    if (pattern === ALL_CONTEXTS || pattern.startsWith(ALL_CONTEXTS)) {
      const rest = pattern.slice(ALL_CONTEXTS.length);
      return rest === '' || picomatch.isMatch(parsed.name, rest, { dot: true });
    }
    const wanted = parseSubject(pattern);
    return wanted.context === parsed.context && picomatch.isMatch(parsed.name, wanted.name, { dot: true });
  });
}

/** Where the destination should hold a subject: an exact qualified name, or a name in any context ending as given (AUTO). */
export type DestinationSubject =
  | { readonly kind: 'exact'; readonly subject: string }
  | { readonly kind: 'any-context'; readonly name: string; readonly contextSuffix: string };

export function destinationSubject(definition: ExporterDefinition, subject: string): DestinationSubject | undefined {
  const source = parseSubject(subject);
  const name = (definition.subjectRenameFormat ?? '${subject}').split('${subject}').join(source.name);
  const prefixed = (context: string) => ({ kind: 'exact' as const, subject: formatSubject({ context: joinContexts(context, source.context), name }) });
  switch (definition.contextType.toUpperCase()) {
    case 'NONE':
      return { kind: 'exact', subject: formatSubject({ context: source.context, name }) };
    case 'DEFAULT':
      return { kind: 'exact', subject: name };
    case 'CUSTOM':
      return definition.context ? prefixed(definition.context) : undefined;
    case 'AUTO': {
      // The registry may report the context it generated; a bare "." says nothing.
      const reported = definition.context !== null && definition.context !== '' && definition.context !== DEFAULT_CONTEXT;
      if (reported) return prefixed(definition.context!);
      return { kind: 'any-context', name, contextSuffix: source.context === DEFAULT_CONTEXT ? '' : source.context };
    }
    default:
      return undefined;
  }
}

/** `.dr` + `.` -> `.dr`; `dr` + `.src` -> `.dr.src`. */
function joinContexts(prefix: string, context: string): string {
  const head = prefix.startsWith('.') ? prefix : `.${prefix}`;
  return context === DEFAULT_CONTEXT ? head : `${head}${context}`;
}

/** The subjects of `listing` the exporter copies, as one digest: equal scopes give equal digests, whatever the order. */
export function scopeFingerprint(definition: ExporterDefinition, listing: ScopeListing): string {
  const lines = [...listing.latest.values()]
    .filter((entry) => inScope(definition, entry.subject))
    .map((entry) => `${entry.subject}\u0000${entry.version}\u0000${entry.id}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

/** The latest entry of each subject of a listing, by name, for the AUTO lookups in any context. */
export function byUnqualifiedName(listing: ScopeListing): ReadonlyMap<string, readonly SubjectVersion[]> {
  const index = new Map<string, SubjectVersion[]>();
  for (const entry of listing.latest.values()) {
    const { name } = parseSubject(entry.subject);
    index.set(name, [...(index.get(name) ?? []), entry]);
  }
  return index;
}
