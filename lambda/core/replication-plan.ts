/**
 * Which replication reads a run makes, decided from what the store remembers and the clock: the
 * definitions that are new or due again, whether the source is listed, whether destinations are
 * compared. Pure, so the request budget of every run can be reasoned about and tested.
 */
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { RegistryConfig } from '../config.js';
import type { SubjectRecord } from './model.js';
import type { ExporterDefinition } from './replication-model.js';

/** When the previous run listed the source and compared destinations (kept in the run item). */
export interface ReplicationClock {
  readonly lastRunAt?: number;
  readonly sourceCheckAt?: number;
  readonly driftCheckAt?: number;
}

export interface ReplicationPlan {
  /** Exporters whose definition is read this run. */
  readonly definitions: readonly string[];
  readonly listSource: boolean;
  readonly compareDestinations: boolean;
}

/** Exporters that copy or are about to: the only ones whose progress and destination mean something. */
const COPYING_STATES = new Set(['RUNNING', 'STARTING']);

/** The other registries of the configuration, which can be destinations. */
export type OtherRegistries = readonly Pick<RegistryConfig, 'id' | 'baseUrl'>[];

export function planReplication(
  observed: ReadonlyMap<string, { readonly state: string; readonly record?: SubjectRecord }>,
  config: RegistryConfig,
  others: OtherRegistries,
  clock: ReplicationClock,
  now: number,
): ReplicationPlan {
  const { policy } = config;
  const definitions = [...observed]
    .filter(([name, { record }]) => record?.replication?.definition === undefined || refreshDue(name, policy.definitionRefreshMs, clock.lastRunAt, now))
    .map(([name]) => name);
  const copying = [...observed.values()].some(({ state }) => COPYING_STATES.has(state));
  const compareDestinations = copying && due(clock.driftCheckAt, policy.driftCheckIntervalMs, now) && hasPossibleDestination(config, others);
  return {
    definitions,
    // A comparison needs the source listing of the same run.
    listSource: copying && (compareDestinations || due(clock.sourceCheckAt, policy.sourceCheckIntervalMs, now)),
    compareDestinations,
  };
}

function due(last: number | undefined, interval: number, now: number): boolean {
  return last === undefined || now - last >= interval;
}

/**
 * Each exporter's definition is read again once per interval, at its own phase in the interval
 * (from its name), so a registry's definitions are spread over the runs instead of read at once;
 * no per-exporter time needs to be stored, so no extra write.
 */
function refreshDue(name: string, interval: number, lastRunAt: number | undefined, now: number): boolean {
  if (lastRunAt === undefined) return true;
  const phase = createHash('sha256').update(name).digest().readUInt32BE(0) % interval;
  return Math.floor((now + phase) / interval) !== Math.floor((lastRunAt + phase) / interval);
}

/** A registry whose exporters could have a destination the monitor reads: named, or any other registry configured. */
function hasPossibleDestination(config: RegistryConfig, others: OtherRegistries): boolean {
  return Object.keys(config.destinations).length > 0 || others.length > 0;
}

/**
 * The configured registry exporter `name` copies to: named in `destinations` (first matching glob),
 * or the registry whose base URL its definition's destination URL is.
 */
export function destinationOf(
  name: string,
  definition: ExporterDefinition | undefined,
  config: RegistryConfig,
  others: OtherRegistries,
): string | undefined {
  const named = Object.entries(config.destinations).find(([pattern]) => picomatch.isMatch(name, pattern, { dot: true }));
  if (named !== undefined) return named[1];
  const url = definition?.destinationUrl;
  if (url === undefined) return undefined;
  return others.find((other) => sameBaseUrl(other.baseUrl, url))?.id;
}

function sameBaseUrl(a: string, b: string): boolean {
  const normal = (text: string) => {
    try {
      const url = new URL(text);
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return text;
    }
  };
  return normal(a) === normal(b);
}
