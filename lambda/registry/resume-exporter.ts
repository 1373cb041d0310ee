/**
 * The one write the monitor makes: `PUT /exporters/{name}/resume`, for guarded auto-resume
 * (core/auto-resume.ts). Through the same client as the reads (pacing, retries, error
 * classification, redaction), but a client of its own: its budget is the registry's write budget.
 */
import type { Deadline } from '../deadline.js';
import type { ReadResult } from '../ports.js';
import { failureOf } from './errors.js';
import type { RegistryClient } from './registry-client.js';

export async function resumeExporter(client: RegistryClient, name: string, deadline: Deadline): Promise<ReadResult<'resumed' | 'already-running'>> {
  const before = client.requestCount;
  try {
    const value = await client.resume(name, deadline);
    return { value, failures: [], requestCount: client.requestCount - before };
  } catch (error) {
    const failure = failureOf(error) ?? { kind: 'timeout', message: 'not sent: the run had no time left for it' };
    return { failures: [failure], requestCount: client.requestCount - before };
  }
}
