/**
 * What the destination lacks of what an exporter should have copied: each source subject in
 * its scope, looked up where the exporter puts it (subject-mapping.ts). Pure and deterministic:
 * the lists come out sorted by subject.
 */
import type { DriftReport, ExporterDefinition, ScopeListing, SubjectVersion } from './replication-model.js';
import { byUnqualifiedName, DEFAULT_CONTEXT, destinationSubject, inScope, parseSubject } from './subject-mapping.js';

export function compareScopes(definition: ExporterDefinition, source: ScopeListing, destination: ScopeListing): DriftReport {
  const index = byUnqualifiedName(destination);
  const missingSubjects: string[] = [];
  const missingVersions: DriftReport['missingVersions'][number][] = [];
  const idMismatches: DriftReport['idMismatches'][number][] = [];
  let compared = 0;
  const inOrder = [...source.latest.values()].filter((entry) => inScope(definition, entry.subject)).sort((a, b) => (a.subject < b.subject ? -1 : 1));
  for (const entry of inOrder) {
    const target = destinationSubject(definition, entry.subject);
    // A context type the monitor does not know: nothing can be said about this subject.
    if (target === undefined) continue;
    compared += 1;
    const copy =
      target.kind === 'exact'
        ? destination.latest.get(target.subject)
        : latestOf((index.get(target.name) ?? []).filter((candidate) => inAutoContext(candidate.subject, target.contextSuffix)));
    if (copy === undefined) missingSubjects.push(entry.subject);
    else if (copy.version < entry.version) missingVersions.push({ subject: entry.subject, source: entry.version, destination: copy.version });
    else if (copy.version === entry.version && copy.id !== entry.id) {
      idMismatches.push({ subject: entry.subject, version: entry.version, source: entry.id, destination: copy.id });
    }
  }
  return { missingSubjects, missingVersions, idMismatches, compared };
}

/** An AUTO copy lives in a generated context (never the default one) that ends with the source context. */
function inAutoContext(subject: string, contextSuffix: string): boolean {
  const { context } = parseSubject(subject);
  return context !== DEFAULT_CONTEXT && context.endsWith(contextSuffix);
}

function latestOf(entries: readonly SubjectVersion[]): SubjectVersion | undefined {
  return entries.reduce<SubjectVersion | undefined>((best, entry) => (best === undefined || entry.version > best.version ? entry : best), undefined);
}
