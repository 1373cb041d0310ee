/**
 * The reads stall and drift detection make, through the same client (pacing, retries, error
 * classification) as the statuses: exporter definitions, and the latest version of every subject,
 * paged. Failures come back as MonitorFailures; a listing that could not be read whole is no
 * listing at all, since a partial one would show subjects as missing that are not.
 */
import type { MonitorFailure } from '../core/model.js';
import type { ExporterDefinition, ScopeListing, SubjectVersion } from '../core/replication-model.js';
import { ALL_CONTEXTS } from '../core/subject-mapping.js';
import type { Deadline } from '../deadline.js';
import type { ReadResult } from '../ports.js';
import { failureOf } from './errors.js';
import type { RegistryClient } from './registry-client.js';

/** Subjects per page of `GET /schemas` (Confluent caps a page at 1,000). */
export const SCHEMA_PAGE_SIZE = 500;
/** Pages one listing may take: 100,000 subjects, far beyond any registry seen; bounds the loop. */
export const MAX_SCHEMA_PAGES = 200;

export async function readDefinitions(client: RegistryClient, names: readonly string[], deadline: Deadline): Promise<ReadResult<Map<string, ExporterDefinition>>> {
  const before = client.requestCount;
  const definitions = new Map<string, ExporterDefinition>();
  const failures: MonitorFailure[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        definitions.set(name, await client.getDefinition(name, deadline));
      } catch (error) {
        const failure = failureOf(error);
        // Deleted since its status was read: its status read says so next run.
        if (failure !== undefined && !(failure.httpStatus === 404 && failure.errorCode === 40450)) failures.push(failure);
      }
    }),
  );
  return { value: definitions, failures, requestCount: client.requestCount - before };
}

export async function readLatestSchemas(client: RegistryClient, deadline: Deadline): Promise<ReadResult<ScopeListing>> {
  const before = client.requestCount;
  const latest = new Map<string, SubjectVersion>();
  try {
    for (let page = 0; page < MAX_SCHEMA_PAGES; page += 1) {
      const entries = await client.listLatestSchemaPage(ALL_CONTEXTS, page * SCHEMA_PAGE_SIZE, SCHEMA_PAGE_SIZE, deadline);
      for (const entry of entries) {
        const known = latest.get(entry.subject);
        if (known === undefined || entry.version > known.version) latest.set(entry.subject, entry);
      }
      if (entries.length < SCHEMA_PAGE_SIZE) return { value: { latest }, failures: [], requestCount: client.requestCount - before };
    }
    const failure: MonitorFailure = {
      kind: 'invalid-response',
      message: `GET /schemas listed more than ${MAX_SCHEMA_PAGES * SCHEMA_PAGE_SIZE} subjects; the listing was stopped and nothing concluded from it`,
      path: '/schemas',
    };
    return { failures: [failure], requestCount: client.requestCount - before };
  } catch (error) {
    const failure = failureOf(error);
    return { failures: failure ? [failure] : [], requestCount: client.requestCount - before };
  }
}
