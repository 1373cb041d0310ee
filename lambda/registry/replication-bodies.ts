/**
 * What a 200 from the definition and schema-listing endpoints must contain to be believed. The
 * exporter's `config` holds the destination's credentials (`basic.auth.user.info`, ...): only its
 * `schema.registry.url` is kept, nothing else of it ever leaves this file.
 */
import type { ExporterDefinition, SubjectVersion } from '../core/replication-model.js';
import { InvalidBody } from './http.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `GET /exporters/{name}`. */
export function parseDefinition(body: unknown, askedName: string): ExporterDefinition {
  if (!isRecord(body)) throw new InvalidBody('the exporter definition is not a JSON object');
  const { name, subjects, contextType, context, subjectRenameFormat, config } = body;
  if (name !== undefined && name !== askedName) throw new InvalidBody('the definition names another exporter');
  if (subjects !== undefined && subjects !== null && (!Array.isArray(subjects) || subjects.some((subject) => typeof subject !== 'string'))) {
    throw new InvalidBody('the definition "subjects" is not a list of names');
  }
  const text = (value: unknown, field: string): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new InvalidBody(`the definition "${field}" is not a string`);
    return value;
  };
  const url = isRecord(config) ? config['schema.registry.url'] : undefined;
  return {
    name: askedName,
    subjects: (subjects as string[] | null | undefined) ?? [],
    // Confluent's default when the field is absent.
    contextType: text(contextType, 'contextType') ?? 'AUTO',
    context: text(context, 'context'),
    subjectRenameFormat: text(subjectRenameFormat, 'subjectRenameFormat'),
    ...(typeof url === 'string' && url !== '' && { destinationUrl: url }),
  };
}

/** One page of `GET /schemas`: the subject, version and id of each schema; the schema text is not kept. */
export function parseSchemaPage(body: unknown): SubjectVersion[] {
  if (!Array.isArray(body)) throw new InvalidBody('the schema list is not a JSON array');
  return body.map((entry) => {
    if (!isRecord(entry)) throw new InvalidBody('a schema in the list is not a JSON object');
    const { subject, version, id } = entry;
    if (typeof subject !== 'string' || !Number.isSafeInteger(version) || !Number.isSafeInteger(id)) {
      throw new InvalidBody('a schema in the list lacks its subject, version or id');
    }
    return { subject, version: version as number, id: id as number };
  });
}
