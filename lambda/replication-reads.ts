/**
 * The reads beyond the statuses, as the plan (core/replication-plan.ts) asks for them: exporter
 * definitions, the source listing that stall detection fingerprints, and each destination's
 * listing for drift. Every read spends its own registry's budget and credentials: a destination
 * is read through its own WatchedRegistry, so its key never serves another registry. A read that
 * fails leaves its facts out (nothing is concluded from it) and says why in `failures`.
 */
import { compareScopes } from './core/drift.js';
import type { MonitorFailure, RegistryReading, SubjectRecord } from './core/model.js';
import { destinationOf, type OtherRegistries, planReplication } from './core/replication-plan.js';
import type { ExporterDefinition, ScopeListing } from './core/replication-model.js';
import type { ReplicationFacts } from './core/replication.js';
import { scopeFingerprint } from './core/subject-mapping.js';
import type { Deadline } from './deadline.js';
import type { RegistrySnapshot, WatchedRegistry } from './ports.js';

export interface ReplicationReading {
  /** What each exporter's verdict can draw on beyond its status, by exporter name. */
  readonly facts: ReadonlyMap<string, ReplicationFacts>;
  /** Failures of these reads, with the registry they concern (a destination's are its own). */
  readonly failures: readonly { readonly registryId: string; readonly failure: MonitorFailure }[];
  /** Requests sent to the watched registry for these reads. */
  readonly requestCount: number;
  /** Requests sent to destinations. */
  readonly destinationRequestCount: number;
  /** Set when the source was listed this run: the next run's change window starts here. */
  readonly sourceCheckAt?: number;
  /** Set when destinations were compared this run. */
  readonly driftCheckAt?: number;
}

export async function readReplication(
  registry: WatchedRegistry,
  destinations: ReadonlyMap<string, WatchedRegistry>,
  snapshot: RegistrySnapshot,
  reading: RegistryReading,
  deadline: Deadline,
  now: number,
): Promise<ReplicationReading> {
  const { config } = registry;
  const others: OtherRegistries = [...destinations.values()].map(({ config: other }) => other).filter((other) => other.id !== config.id);
  // Exporters that exist: a missing one has nothing to copy.
  const observed = new Map<string, { state: string; record?: SubjectRecord }>();
  for (const [name, observation] of reading.observations) {
    if (observation.kind === 'status') observed.set(name, { state: observation.status.state, record: snapshot.exporters.get(name)?.record });
  }
  const lastRun = snapshot.lastRun;
  const plan = planReplication(observed, config, others, { lastRunAt: lastRun?.at, sourceCheckAt: lastRun?.sourceCheckAt, driftCheckAt: lastRun?.driftCheckAt }, now);
  const failures: { registryId: string; failure: MonitorFailure }[] = [];
  const own = (result: { failures: readonly MonitorFailure[] }) => failures.push(...result.failures.map((failure) => ({ registryId: config.id, failure })));

  const read = plan.definitions.length > 0 ? await registry.readDefinitions(plan.definitions, deadline) : undefined;
  if (read) own(read);
  const definitions = new Map<string, ExporterDefinition>();
  for (const name of observed.keys()) {
    const definition = read?.value?.get(name) ?? observed.get(name)?.record?.replication?.definition;
    if (definition !== undefined) definitions.set(name, definition);
  }
  const listed = plan.listSource && definitions.size > 0 ? await registry.listLatestSchemas(deadline) : undefined;
  if (listed) own(listed);
  const source = listed?.value;

  const drift = new Map<string, NonNullable<ReplicationFacts['drift']>>();
  let destinationRequestCount = 0;
  if (plan.compareDestinations && source !== undefined) {
    const byDestination = new Map<string, string[]>();
    for (const [name, definition] of definitions) {
      if (observed.get(name)?.state !== 'RUNNING') continue;
      const id = destinationOf(name, definition, config, others);
      if (id !== undefined && destinations.has(id)) byDestination.set(id, [...(byDestination.get(id) ?? []), name]);
    }
    for (const [id, names] of byDestination) {
      const result = await destinations.get(id)!.listLatestSchemas(deadline);
      destinationRequestCount += result.requestCount;
      failures.push(...result.failures.map((failure) => ({ registryId: id, failure })));
      const target: ScopeListing | undefined = result.value;
      if (target === undefined) continue;
      for (const name of names) drift.set(name, { destination: id, report: compareScopes(definitions.get(name)!, source, target) });
    }
  }

  const facts = new Map<string, ReplicationFacts>();
  for (const name of observed.keys()) {
    const definition = read?.value?.get(name);
    const known = definitions.get(name);
    const compared = drift.get(name);
    facts.set(name, {
      ...(definition !== undefined && { definition }),
      ...(source !== undefined && known !== undefined && { sourceFingerprint: scopeFingerprint(known, source) }),
      ...(lastRun?.sourceCheckAt !== undefined && { previousSourceCheckAt: lastRun.sourceCheckAt }),
      ...(compared !== undefined && { drift: compared }),
    });
  }
  return {
    facts,
    failures,
    requestCount: (read?.requestCount ?? 0) + (listed?.requestCount ?? 0),
    destinationRequestCount,
    ...(source !== undefined && { sourceCheckAt: now }),
    ...(plan.compareDestinations && source !== undefined && drift.size > 0 && { driftCheckAt: now }),
  };
}
