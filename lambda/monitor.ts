/**
 * One run of the monitor. For every registry, in one direction: load what the store knows, read
 * the registry (statuses, then what stall and drift detection need), let the core decide, stage what changed in the outboxes, make the
 * resumes the staged records claim (auto-resume), deliver, record the run.
 * Adapters come in as ports (ports.ts), so the same run serves the Lambda handler, the local
 * command, the benchmark and the tests.
 */
import type { RegistryConfig } from './config.js';
import type { ResumeDecision } from './core/auto-resume.js';
import { decide, registryBaseline } from './core/decide.js';
import { decideExporter } from './core/decide-exporter.js';
import { countConditions, type ExporterConditions } from './core/exporter-conditions.js';
import type { MonitorFailure, RegistryReading, SubjectRecord } from './core/model.js';
import { observeExporter, observeRegistry } from './core/observe.js';
import type { ReplicationFacts } from './core/replication.js';
import type { Deadline } from './deadline.js';
import type { Notifier } from './notify/notifier.js';
import { type Change, deliver, stage } from './outbox.js';
import type { RegistrySnapshot, RunLog, RunStore, StoredSubject, WatchedRegistry } from './ports.js';
import { readReplication } from './replication-reads.js';
import { resumeClaimed } from './resume-run.js';

export interface MonitorDependencies {
  /** The registries this run watches; one whose `exporters` is 'none' is only read as a destination. */
  readonly registries: readonly WatchedRegistry[];
  /**
   * Registries that exporters may copy to, read with their own credentials and budget to verify
   * drift. Default: the watched registries.
   */
  readonly destinations?: readonly WatchedRegistry[];
  readonly store: RunStore;
  readonly notifier: Notifier;
  /** When to stop starting registry requests, leaving time to store and deliver what was read. */
  readonly deadline: Deadline;
  /**
   * When the whole invocation ends. No publish starts without time to finish before it; an
   * outbox claimed by this run stays claimed until then, so no other run delivers it meanwhile.
   */
  readonly invocationDeadline: Deadline;
  /** The clock the core decides by (epoch ms). */
  readonly now: () => number;
  readonly log?: RunLog;
}

export interface RegistryRunReport {
  readonly registryId: string;
  readonly exportersChecked: number;
  readonly requests: number;
  readonly failures: readonly MonitorFailure[];
  readonly skipped: number;
  /** Events decided this run (quiet and muted ones included). */
  readonly eventsDecided: number;
  /** Events handed to the notifier and accepted (this run's and earlier runs' left in the outbox). */
  readonly eventsDelivered: number;
  readonly deliveryFailures: number;
  /** Events left in the outbox because the invocation had no time left to publish them. */
  readonly eventsDeferred: number;
  /** Records another run wrote first; that run owns those transitions. */
  readonly conflicts: number;
  readonly recordsWritten: number;
  /** Requests beyond the statuses: definitions and source listings (this registry's budget). */
  readonly replicationRequests: number;
  /** Requests to destination registries for drift verification (their budgets). */
  readonly destinationRequests: number;
  /** Reads for stall and drift detection that failed: nothing was concluded from them. */
  readonly replicationFailures: readonly { readonly registryId: string; readonly failure: MonitorFailure }[];
  /** Auto-resume attempts this run made (dry-run ones included). */
  readonly resumeAttempts: number;
  /** Resume requests sent (the registry's write budget). */
  readonly resumeRequests: number;
  /** The registry's exporters by condition once this run's decisions hold. */
  readonly conditions: ExporterConditions;
}

export interface RunReport {
  readonly registries: readonly RegistryRunReport[];
  /** Registries whose run failed outright (the store could not be read or written). */
  readonly errors: readonly { readonly registryId: string; readonly error: Error }[];
}

/** Adds up one figure over registry reports (of one run, or of several). */
export function totalOf(reports: readonly RegistryRunReport[], pick: (report: RegistryRunReport) => number): number {
  return reports.reduce((sum, report) => sum + pick(report), 0);
}

/** Record writes in flight at once; DynamoDB on-demand absorbs far more, this just bounds a storm. */
const WRITE_CONCURRENCY = 16;
/** Extra time a claim on an outbox lasts beyond this invocation, so the next run can take it over. */
const CLAIM_GRACE_MS = 5_000;

const silentLog: RunLog = { info: () => {}, warn: () => {}, error: () => {} };

export async function runMonitor(dependencies: MonitorDependencies): Promise<RunReport> {
  const watched = dependencies.registries.filter(({ config }) => config.exporters !== 'none');
  const readers = new Map([...(dependencies.destinations ?? dependencies.registries), ...dependencies.registries].map((registry) => [registry.config.id, registry]));
  const settled = await Promise.allSettled(watched.map((registry) => runRegistry(registry, readers, dependencies)));
  const registries: RegistryRunReport[] = [];
  const errors: { registryId: string; error: Error }[] = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') registries.push(result.value);
    else errors.push({ registryId: watched[index]!.config.id, error: result.reason as Error });
  });
  return { registries, errors };
}

async function runRegistry(
  registry: WatchedRegistry,
  readers: ReadonlyMap<string, WatchedRegistry>,
  dependencies: MonitorDependencies,
): Promise<RegistryRunReport> {
  const { store, notifier, deadline, invocationDeadline } = dependencies;
  const log = dependencies.log ?? silentLog;
  const { config } = registry;

  const snapshot = await store.loadRegistry(config.id);
  const reading = await readRegistry(registry, snapshot, deadline, log);
  const replication = await readReplication(registry, readers, snapshot, reading, deadline, dependencies.now());
  for (const { registryId, failure } of replication.failures) {
    log.warn('read for stall or drift detection failed: nothing concluded from it', { registryId, watchedRegistryId: config.id, ...failure });
  }
  const decidedAt = dependencies.now();
  const changes = decideAll(snapshot, reading, replication.facts, config, decidedAt);
  const claimUntil = decidedAt + Math.max(0, invocationDeadline.timeLeftMs()) + CLAIM_GRACE_MS;
  const known = [...snapshot.exporters.values(), ...(snapshot.monitor ? [snapshot.monitor] : [])];
  const staged = await stage(changes, known, { store, now: decidedAt, claimUntil, concurrency: WRITE_CONCURRENCY, log });
  const resumed = await resumeClaimed(staged.deliveries, registry, { store, now: decidedAt, claimUntil, deadline, log });
  const delivery = await deliver(resumed.deliveries, { store, notifier, deadline: invocationDeadline, log, concurrency: WRITE_CONCURRENCY });
  await store.recordRun(config.id, {
    at: decidedAt,
    exportersChecked: reading.observations.size,
    requests: reading.requestCount,
    failures: reading.failures.length,
    skipped: reading.skipped.length,
    ...(reading.resumeAt !== undefined && { resumeAt: reading.resumeAt }),
    ...keptTime('sourceCheckAt', replication.sourceCheckAt ?? snapshot.lastRun?.sourceCheckAt),
    ...keptTime('driftCheckAt', replication.driftCheckAt ?? snapshot.lastRun?.driftCheckAt),
  });
  if (staged.errors.length > 0) {
    // Everything else was delivered; the run still fails, so the error alarm says what could not be stored.
    const [first] = staged.errors;
    throw new AggregateError(staged.errors, `${staged.errors.length} record write(s) failed for registry ${config.id}: ${first!.message}`);
  }
  return {
    registryId: config.id,
    exportersChecked: reading.observations.size,
    requests: reading.requestCount,
    failures: reading.failures,
    skipped: reading.skipped.length,
    // Each attempt's outcome is an event too, decided once the registry answered.
    eventsDecided: changes.reduce((sum, change) => sum + change.events.length, 0) + resumed.attempts,
    eventsDelivered: delivery.delivered,
    deliveryFailures: delivery.failed,
    eventsDeferred: delivery.deferred,
    conflicts: staged.conflicts,
    recordsWritten: staged.recordsWritten,
    replicationRequests: replication.requestCount,
    destinationRequests: replication.destinationRequestCount,
    replicationFailures: replication.failures,
    resumeAttempts: resumed.attempts,
    resumeRequests: resumed.requests,
    conditions: countConditions(currentRecords(snapshot, changes)),
  };
}

/** Every record of the registry as this run leaves it: what it changed, and what it found as it was. */
function currentRecords(snapshot: RegistrySnapshot, changes: readonly Change[]): SubjectRecord[] {
  const records = new Map([...snapshot.exporters].map(([name, stored]) => [name, stored.record]));
  for (const { record } of changes) if (record.exporterName !== undefined) records.set(record.exporterName, record);
  return [...records.values()];
}

function keptTime<K extends string>(key: K, at: number | undefined): Partial<Record<K, number>> {
  return at === undefined ? {} : ({ [key]: at } as Record<K, number>);
}

/**
 * Reads the registry from where the previous run stopped, and says in the log what went wrong.
 * Known exporters are read even when no longer listed: that is how a deletion is confirmed (40450),
 * and how a disappeared one keeps its incident (reminders, reappearance) until someone forgets it.
 */
async function readRegistry(registry: WatchedRegistry, snapshot: RegistrySnapshot, deadline: Deadline, log: RunLog): Promise<RegistryReading> {
  const registryId = registry.config.id;
  const reading = await registry.read([...snapshot.exporters.keys()], deadline, snapshot.lastRun?.resumeAt);
  for (const failure of reading.failures) log.warn('registry read failed', { registryId, ...failure });
  if (reading.skipped.length > 0) {
    log.warn('exporters left for the next run: the run had no time for them', { registryId, skipped: reading.skipped.length });
  }
  return reading;
}

/** The core's verdict on every exporter read and on the registry itself; only changed records are kept. */
function decideAll(
  snapshot: RegistrySnapshot,
  reading: RegistryReading,
  facts: ReadonlyMap<string, ReplicationFacts>,
  config: RegistryConfig,
  now: number,
): Change[] {
  const context = { registryId: config.id, now, policy: config.policy, silences: snapshot.silences, autoResume: config.autoResume };
  const verdicts: { previous: StoredSubject | undefined; decision: ResumeDecision }[] = [...reading.observations].map(([exporterName, observation]) => {
    const previous = snapshot.exporters.get(exporterName);
    const decision = decideExporter(previous?.record, observeExporter(observation), facts.get(exporterName) ?? {}, { ...context, exporterName });
    return { previous, decision };
  });
  // A run that could not send a single request (no time left) learned nothing about the registry:
  // it neither counts towards "degraded" nor ends it.
  if (reading.requestCount > 0 || reading.failures.length > 0) {
    const previous = snapshot.monitor?.record ?? registryBaseline(config.id, now);
    verdicts.push({ previous: snapshot.monitor, decision: decide(previous, observeRegistry(reading.failures), context) });
  }
  return verdicts
    .filter(({ decision }) => decision.changed)
    .map(({ previous, decision }) => ({ previous, record: decision.record, events: decision.events, ...(decision.attempt && { attempt: decision.attempt }) }));
}
