/**
 * One run of the monitor: for every registry, read the records, read the registry, let the core
 * decide, store what changed with its events, then deliver the events. Adapters come in as
 * dependencies, so the same run serves the Lambda handler, the local command and the tests.
 */
import PQueue from 'p-queue';
import type { RegistryConfig } from './config.js';
import { decide, registryBaseline, type Decision } from './core/decide.js';
import { type MonitorFailure, type RegistryReading } from './core/model.js';
import { observeExporter, observeRegistry } from './core/observe.js';
import type { Deadline } from './deadline.js';
import type { Notifier } from './notify/notifier.js';
import { deliver, type Delivery } from './outbox.js';
import { subjectSk } from './store/keys.js';
import type { RegistrySnapshot, StateStore, StoredSubject } from './store/state-store.js';

/** A registry the run can read: its configuration and a way to read it (client, credentials). */
export interface WatchedRegistry {
  readonly config: RegistryConfig;
  /**
   * Never throws for registry trouble: failures are in the reading. `resumeAt` is where the
   * previous run's reading stopped for lack of time: this run starts there.
   */
  read(knownExporters: readonly string[], deadline: Deadline, resumeAt?: string): Promise<RegistryReading>;
}

/** The part of a structured logger the run needs (Powertools Logger fits). */
export interface RunLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface MonitorDependencies {
  readonly registries: readonly WatchedRegistry[];
  readonly store: StateStore;
  readonly notifier: Notifier;
  /** When to stop starting registry requests, leaving time to store and deliver what was read. */
  readonly deadline: Deadline;
  /**
   * When the whole invocation ends. No publish starts without time to finish before it; an
   * outbox claimed by this run stays claimed until then, so no other run delivers it meanwhile.
   */
  readonly invocationDeadline: Deadline;
  readonly now?: () => number;
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
  const settled = await Promise.allSettled(dependencies.registries.map((registry) => runRegistry(registry, dependencies)));
  const registries: RegistryRunReport[] = [];
  const errors: { registryId: string; error: Error }[] = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') registries.push(result.value);
    else errors.push({ registryId: dependencies.registries[index]!.config.id, error: result.reason as Error });
  });
  return { registries, errors };
}

async function runRegistry(registry: WatchedRegistry, dependencies: MonitorDependencies): Promise<RegistryRunReport> {
  const { store, deadline } = dependencies;
  const now = dependencies.now ?? Date.now;
  const log = dependencies.log ?? silentLog;
  const { config } = registry;

  const snapshot = await store.loadRegistry(config.id);
  // Known exporters are read even when no longer listed: that is how a deletion is confirmed (40450),
  // and how a disappeared one keeps its incident (reminders, reappearance) until someone forgets it.
  const known = [...snapshot.exporters.keys()];
  const reading = await registry.read(known, deadline, snapshot.lastRun?.resumeAt);
  for (const failure of reading.failures) log.warn('registry read failed', { registryId: config.id, ...failure });
  if (reading.skipped.length > 0) {
    log.warn('exporters left for the next run: the run had no time for them', { registryId: config.id, skipped: reading.skipped.length });
  }
  const decidedAt = now();
  const claimUntil = decidedAt + Math.max(0, dependencies.invocationDeadline.timeLeftMs()) + CLAIM_GRACE_MS;

  const decisions = decideAll(snapshot, reading, config, decidedAt);
  const writes = new PQueue({ concurrency: WRITE_CONCURRENCY });
  const deliveries: Delivery[] = [];
  const writeErrors: Error[] = [];
  let conflicts = 0;
  let recordsWritten = 0;
  // One record that cannot be written must not hold back every other subject's alerts.
  const isolated = (task: () => Promise<void>) => async () => {
    try {
      await task();
    } catch (error) {
      writeErrors.push(error as Error);
    }
  };

  await writes.addAll(
    decisions.map(({ previous, decision }) => isolated(async () => {
      const { events } = decision;
      // Entries another live run is delivering stay its own; this run delivers only what it decided.
      const foreignClaim = previous !== undefined && previous.outbox.size > 0 && previous.claimedUntil > decidedAt;
      const saved = await store.saveSubject(previous, decision.record, events, foreignClaim ? previous.claimedUntil : claimUntil, decidedAt);
      if (saved === undefined) {
        conflicts += 1;
        log.warn('record changed by another run; leaving its transition to that run', subjectOf(decision));
        return;
      }
      recordsWritten += 1;
      deliveries.push({ subject: saved, events: foreignClaim ? events : [...saved.outbox.values()], claimed: !foreignClaim });
    })),
  );

  const written = new Set(decisions.map(({ decision }) => subjectSk(decision.record.exporterName)));
  const leftBehind = [...snapshot.exporters.values(), ...(snapshot.monitor ? [snapshot.monitor] : [])].filter(
    (subject) => !written.has(subjectSk(subject.record.exporterName)) && subject.outbox.size > 0 && subject.claimedUntil <= decidedAt,
  );
  await writes.addAll(
    leftBehind.map((subject) => isolated(async () => {
      const claimed = await store.claimOutbox(subject, claimUntil);
      if (claimed) deliveries.push({ subject: claimed, events: [...claimed.outbox.values()], claimed: true });
    })),
  );

  const { delivered, failed, deferred } = await deliver(deliveries, {
    store,
    notifier: dependencies.notifier,
    deadline: dependencies.invocationDeadline,
    log,
    concurrency: WRITE_CONCURRENCY,
  });
  await store.recordRun(config.id, {
    at: decidedAt,
    exportersChecked: reading.observations.size,
    requests: reading.requestCount,
    failures: reading.failures.length,
    skipped: reading.skipped.length,
    ...(reading.resumeAt !== undefined && { resumeAt: reading.resumeAt }),
  });
  if (writeErrors.length > 0) {
    // Everything else was delivered; the run still fails, so the error alarm says what could not be stored.
    throw new AggregateError(writeErrors, `${writeErrors.length} record write(s) failed for registry ${config.id}: ${writeErrors[0]!.message}`);
  }
  return {
    registryId: config.id,
    exportersChecked: reading.observations.size,
    requests: reading.requestCount,
    failures: reading.failures,
    skipped: reading.skipped.length,
    eventsDecided: decisions.reduce((sum, { decision }) => sum + decision.events.length, 0),
    eventsDelivered: delivered,
    deliveryFailures: failed,
    eventsDeferred: deferred,
    conflicts,
    recordsWritten,
  };
}

interface PendingDecision {
  readonly previous: StoredSubject | undefined;
  readonly decision: Decision;
}

/** The core's verdict on every exporter read and on the registry itself; only changed records are kept. */
function decideAll(snapshot: RegistrySnapshot, reading: RegistryReading, config: RegistryConfig, now: number): PendingDecision[] {
  const context = { registryId: config.id, now, policy: config.policy, silences: snapshot.silences };
  const exporters = [...reading.observations].map(([exporterName, observation]) => {
    const previous = snapshot.exporters.get(exporterName);
    return { previous, decision: decide(previous?.record, observeExporter(observation), { ...context, exporterName }) };
  });
  const all: PendingDecision[] = [...exporters];
  // A run that could not send a single request (no time left) learned nothing about the registry:
  // it neither counts towards "degraded" nor ends it.
  if (reading.requestCount > 0 || reading.failures.length > 0) {
    const previous = snapshot.monitor?.record ?? registryBaseline(config.id, now);
    all.push({ previous: snapshot.monitor, decision: decide(previous, observeRegistry(reading.failures), context) });
  }
  return all.filter(({ decision }) => decision.changed);
}

function subjectOf(decision: Decision) {
  return { registry: decision.record.registryId, exporter: decision.record.exporterName };
}
