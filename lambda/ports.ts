/**
 * What one run needs from the world, as interfaces: a way to read each registry, a store for the
 * records and their outboxes, a notifier (notify/notifier.ts) and a log. The Lambda handler, the
 * local runtime, the benchmark and the tests each plug in their adapters; the run knows no more.
 */
import type { RegistryConfig } from './config.js';
import type { MonitorEvent, MonitorFailure, RegistryReading, Silence, SubjectRecord } from './core/model.js';
import type { ExporterDefinition, ScopeListing } from './core/replication-model.js';
import type { Deadline } from './deadline.js';

/** A registry the run can read: its configuration and a way to read it (client, credentials). */
export interface WatchedRegistry {
  readonly config: RegistryConfig;
  /**
   * Never throws for registry trouble: failures are in the reading. `resumeAt` is where the
   * previous run's reading stopped for lack of time: this run starts there.
   */
  read(knownExporters: readonly string[], deadline: Deadline, resumeAt?: string): Promise<RegistryReading>;
  /** Exporter definitions (`GET /exporters/{name}`), for those that could be read. Never throws for registry trouble. */
  readDefinitions(names: readonly string[], deadline: Deadline): Promise<ReadResult<ReadonlyMap<string, ExporterDefinition>>>;
  /** The latest version of every subject in every context (`GET /schemas?latestOnly=true`, paged). Never throws for registry trouble. */
  listLatestSchemas(deadline: Deadline): Promise<ReadResult<ScopeListing>>;
  /**
   * `PUT /exporters/{name}/resume` with the credentials allowed to resume and the write budget,
   * apart from the reads. Never throws for registry trouble.
   */
  resume(name: string, deadline: Deadline): Promise<ReadResult<'resumed' | 'already-running'>>;
}

/** What a read beyond the statuses returned: its value unless it failed, and what it cost. */
export interface ReadResult<T> {
  readonly value?: T;
  readonly failures: readonly MonitorFailure[];
  readonly requestCount: number;
}

/** A record as stored: what the core decides on, plus what the store needs to write it safely. */
export interface StoredSubject {
  readonly record: SubjectRecord;
  readonly version: number;
  /** Events recorded but not yet written to history and delivered, by id. */
  readonly outbox: ReadonlyMap<string, MonitorEvent>;
  /** Epoch ms until which a run that is delivering the outbox owns it. */
  readonly claimedUntil: number;
}

/** What one run did against one registry, kept for `status` ("last check") and the next run. */
export interface RunSummary {
  readonly at: number;
  readonly exportersChecked: number;
  readonly requests: number;
  readonly failures: number;
  readonly skipped: number;
  /**
   * Where this run's reading stopped for lack of time (the first exporter it could not read, or
   * a prefix of its name): the next run starts there, so every exporter is read in turn.
   */
  readonly resumeAt?: string;
  /** When the source subjects were last listed for stall detection (kept from run to run). */
  readonly sourceCheckAt?: number;
  /** When destinations were last compared for drift (kept from run to run). */
  readonly driftCheckAt?: number;
}

/** Everything one run needs to know about a registry before it reads it. */
export interface RegistrySnapshot {
  /** The registry's own record (monitor health); undefined before the first run. */
  readonly monitor?: StoredSubject;
  readonly exporters: ReadonlyMap<string, StoredSubject>;
  readonly silences: readonly Silence[];
  readonly lastRun?: RunSummary;
  /** Query pages it took to load. */
  readonly pagesRead: number;
}

/**
 * The store one run needs. Every write of a record is conditional on the version read, so of two
 * overlapping runs only one announces a transition; methods that return undefined (or false) say
 * another run wrote first.
 */
export interface RunStore {
  loadRegistry(registryId: string): Promise<RegistrySnapshot>;
  /** Writes a changed record with its new events added to its outbox, claimed until `claimedUntil`. */
  saveSubject(
    previous: StoredSubject | undefined,
    record: SubjectRecord,
    newEvents: readonly MonitorEvent[],
    claimedUntil: number,
    now: number,
  ): Promise<StoredSubject | undefined>;
  /** Takes over an outbox left by a run that died or could not publish. */
  claimOutbox(subject: StoredSubject, claimedUntil: number): Promise<StoredSubject | undefined>;
  /** Removes delivered events by id; the record's new version, or undefined when there was nothing to remove. */
  removeFromOutbox(record: SubjectRecord, eventIds: readonly string[]): Promise<number | undefined>;
  /** Ends this run's claim early, if nobody wrote the record since `version`. */
  releaseClaim(record: SubjectRecord, version: number): Promise<boolean>;
  /** Idempotent: the key is the event's time and id. */
  recordHistory(events: readonly MonitorEvent[]): Promise<void>;
  recordRun(registryId: string, summary: RunSummary): Promise<void>;
}

/** The part of a structured logger the run needs (Powertools Logger fits). */
export interface RunLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}
