/**
 * One run's read of a registry: which exporters, in which order, and what is left for the next
 * run. The requests themselves (pacing, retries, classification) are the RegistryClient's.
 */
import picomatch from 'picomatch';
import type { RegistryConfig } from '../config.js';
import type { ExporterObservation, MonitorFailure, RegistryReading } from '../core/model.js';
import { LONE_SURROGATE } from '../core/well-formed.js';
import type { Deadline } from '../deadline.js';
import { RegistryReadError, RequestNotStartedError } from './errors.js';
import type { ReadOptions, RegistryClient } from './registry-client.js';

/**
 * `resumeAt` is kept in the registry's run item, so it is bounded; a name is rarely a tenth of
 * this. A longer one is cut: its prefix sorts at or before it, so the next run starts no later.
 */
const MAX_RESUME_AT_CHARS = 4_096;

export interface ReadRegistryOptions {
  /** Where the previous run stopped: reading starts at the first name at or after it. */
  readonly resumeAt?: string;
  /** Called as each exporter's status read ends (read, failed or skipped), for progress on a terminal. */
  readonly onStatusRead?: StatusProgress;
}

/** `done` of `total` status reads have ended. */
export type StatusProgress = (done: number, total: number) => void;

/**
 * One run's read of a registry. 'all' => list + include/exclude globs (picomatch), plus a status read of each name in
 * `knownExporters` that passes the filters but is no longer listed (to confirm disappearance with a 40450).
 * A configured list => exactly those names. Statuses are read through the paced queue. A failed read puts its failure
 * in `failures` and leaves the exporter out of `observations`. A credentials failure (401/403/token refused) stops
 * starting further requests (the rest go to `skipped`). Near the deadline (timeLeftMs < requestTimeoutMs + 1000)
 * no new request starts; those names go to `skipped`. If listing fails, observations are empty and failures has it.
 * Names are read in a fixed order that starts at `resumeAt` (where the previous run stopped) and wraps around, so a
 * registry with more exporters than one run can read still has every exporter read in turn.
 */
export async function readRegistry(
  config: RegistryConfig,
  client: RegistryClient,
  knownExporters: Iterable<string>,
  deadline: Deadline,
  options: ReadRegistryOptions = {},
): Promise<RegistryReading> {
  const countBefore = client.requestCount;
  const outcome = await readExporters(config, client, [...knownExporters], deadline, options);
  const stoppedAt = outcome.skipped[0];
  return {
    registryId: config.id,
    ...outcome,
    requestCount: client.requestCount - countBefore,
    ...(stoppedAt !== undefined && { resumeAt: storablePrefix(stoppedAt) }),
  };
}

/** The longest prefix DynamoDB can store: bounded, and cut before a lone surrogate (not valid UTF-8). */
function storablePrefix(name: string): string {
  const prefix = name.slice(0, MAX_RESUME_AT_CHARS);
  const lone = prefix.search(LONE_SURROGATE);
  return lone === -1 ? prefix : prefix.slice(0, lone);
}

type Outcome = Pick<RegistryReading, 'observations' | 'failures' | 'skipped'>;

async function readExporters(
  config: RegistryConfig,
  client: RegistryClient,
  known: string[],
  deadline: Deadline,
  { resumeAt, onStatusRead }: ReadRegistryOptions,
): Promise<Outcome> {
  // A destination-only registry has no exporters of its own to read.
  if (config.exporters === 'none') return { observations: new Map(), failures: [], skipped: [] };
  if (config.exporters !== 'all') return readStatuses(client, inReadingOrder(config.exporters, resumeAt), deadline, onStatusRead);
  const selected = exporterFilter(config);
  let listed: string[];
  try {
    listed = await client.listExporters(deadline);
  } catch (error) {
    return listingFailed(error, known.filter(selected));
  }
  return readStatuses(client, inReadingOrder([...listed, ...known].filter(selected), resumeAt), deadline, onStatusRead);
}

/**
 * Each name once, in code-unit order, starting with the first name at or after `resumeAt` and
 * wrapping around: a run that can read k of n exporters reads the next k, so each is read at
 * least once every ceil(n / k) runs, whatever names come and go meanwhile.
 */
function inReadingOrder(names: readonly string[], resumeAt: string | undefined): string[] {
  const sorted = unique(names).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const start = resumeAt === undefined ? 0 : sorted.findIndex((name) => name >= resumeAt);
  return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}

function listingFailed(error: unknown, knownSelected: string[]): Outcome {
  if (error instanceof RegistryReadError) return { observations: new Map(), failures: [error.failure], skipped: [] };
  if (error instanceof RequestNotStartedError) return { observations: new Map(), failures: [], skipped: knownSelected };
  throw error;
}

/**
 * Globs match the whole name; `*` does not cross a `/` (use `**`), and names starting with a
 * dot are matched like any other.
 */
function exporterFilter(config: RegistryConfig): (name: string) => boolean {
  const options = { dot: true };
  const included = config.include.length === 0 ? () => true : picomatch([...config.include], options);
  const excluded = config.exclude.length === 0 ? () => false : picomatch([...config.exclude], options);
  return (name) => included(name) && !excluded(name);
}

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)];
}

type StatusResult =
  | { readonly name: string; readonly observation: ExporterObservation }
  | { readonly name: string; readonly failure: MonitorFailure }
  | { readonly name: string; readonly skipped: true };

async function readStatuses(client: RegistryClient, names: readonly string[], deadline: Deadline, onStatusRead: StatusProgress | undefined): Promise<Outcome> {
  const stop = new AbortController();
  const reads = names.map((name) => readStatus(client, name, deadline, stop));
  const results = await Promise.all(onStatusRead === undefined ? reads : counted(reads, onStatusRead));
  const observations = new Map<string, ExporterObservation>();
  const failures: MonitorFailure[] = [];
  const skipped: string[] = [];
  for (const result of results) {
    if ('observation' in result) observations.set(result.name, result.observation);
    else if ('failure' in result) failures.push(result.failure);
    else skipped.push(result.name);
  }
  return { observations, failures, skipped };
}

/** The same reads, reporting each as it ends; the monitor's own runs pass no callback and skip this. */
function counted<T>(reads: readonly Promise<T>[], onStatusRead: StatusProgress): Promise<T>[] {
  let done = 0;
  return reads.map((read) =>
    read.then((result) => {
      done += 1;
      onStatusRead(done, reads.length);
      return result;
    }),
  );
}

/**
 * Once the credentials are refused, or one request may not start for lack of time, none of the
 * waiting ones should start: they would only burn the budget, or get the key locked.
 */
async function readStatus(client: RegistryClient, name: string, deadline: Deadline, stop: AbortController): Promise<StatusResult> {
  const options: ReadOptions = { signal: stop.signal, onCredentialsRefused: () => stop.abort() };
  try {
    return { name, observation: await client.getStatus(name, deadline, options) };
  } catch (error) {
    if (error instanceof RequestNotStartedError) {
      stop.abort();
      return { name, skipped: true };
    }
    if (error instanceof RegistryReadError) return { name, failure: error.failure };
    throw error;
  }
}
