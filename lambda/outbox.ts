/**
 * The outbox of every record: how a run stages the events it decided, takes over what earlier
 * runs left, and delivers.
 *
 * - Stage: a changed record is written with its new events in its outbox, in one conditional
 *   write, and claimed by this run until its invocation ends; a record another live run is
 *   delivering keeps that run's claim, and this run delivers only the events it decided.
 * - Take over: an outbox left by a run that died or could not publish, no longer claimed, is
 *   claimed with a version-conditional update, so only one run delivers it.
 * - Deliver: history first (so nothing sent is missing from it), then the events meant for people,
 *   oldest first, a request at a time. What SNS accepted leaves its outbox before the next request
 *   starts, and no request starts without the time to finish, so an invocation that runs out of
 *   time resends nothing; what could not be delivered stays, and this run's claim on it is given
 *   up so the next run retries at once.
 */
import PQueue from 'p-queue';
import type { ResumeAttempt } from './core/auto-resume.js';
import type { MonitorEvent, SubjectRecord } from './core/model.js';
import { isDeliverable } from './core/silence.js';
import type { Deadline } from './deadline.js';
import type { Notifier } from './notify/notifier.js';
import type { RunLog, RunStore, StoredSubject } from './ports.js';

/** A record the core changed, and the events it decided with it. */
export interface Change {
  /** The record as this run read it; undefined for a subject seen for the first time. */
  readonly previous: StoredSubject | undefined;
  readonly record: SubjectRecord;
  readonly events: readonly MonitorEvent[];
  /** A resume the record claims: made only once the record is stored by this run. */
  readonly attempt?: ResumeAttempt;
}

/** Outbox entries one run delivers, and the record they are kept in. */
export interface Delivery {
  /** The record as this run last wrote it (saved or claimed). */
  readonly subject: StoredSubject;
  /** Entries this run owns: written to history, then sent if deliverable. */
  readonly events: readonly MonitorEvent[];
  /** Whether the claim on the outbox is this run's; a run delivering under another's claim leaves it alone. */
  readonly claimed: boolean;
  /** The resume this run won by storing the record that claims it. */
  readonly attempt?: ResumeAttempt;
}

export interface Staged {
  readonly deliveries: readonly Delivery[];
  /** Records another run wrote first; that run owns those transitions. */
  readonly conflicts: number;
  readonly recordsWritten: number;
  /** Writes that failed; the others went ahead, so one bad record holds back no other alert. */
  readonly errors: readonly Error[];
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly failed: number;
  /** Events there was no time to offer; the next run sends them. */
  readonly deferred: number;
}

export interface OutboxOptions {
  readonly store: RunStore;
  /** When this run decided: a claim that ends before it is no longer anybody's. */
  readonly now: number;
  /** Until when this run's claims last: the end of its invocation and a little more. */
  readonly claimUntil: number;
  /** Outbox writes in flight at once. */
  readonly concurrency: number;
  readonly log: RunLog;
}

/**
 * Writes every change with its events, then claims the outboxes earlier runs left among
 * `known` (the records this run read and did not change).
 */
export async function stage(changes: readonly Change[], known: Iterable<StoredSubject>, options: OutboxOptions): Promise<Staged> {
  const { store, now, claimUntil, log } = options;
  const writes = new PQueue({ concurrency: options.concurrency });
  const deliveries: Delivery[] = [];
  const errors: Error[] = [];
  let conflicts = 0;
  let recordsWritten = 0;
  // One record that cannot be written must not hold back every other subject's alerts.
  const isolated = (task: () => Promise<void>) => async () => {
    try {
      await task();
    } catch (error) {
      errors.push(error as Error);
    }
  };

  await writes.addAll(
    changes.map(({ previous, record, events, attempt }) => isolated(async () => {
      // Entries another live run is delivering stay its own; this run delivers only what it decided.
      const foreignClaim = previous !== undefined && previous.outbox.size > 0 && previous.claimedUntil > now;
      const saved = await store.saveSubject(previous, record, events, foreignClaim ? previous.claimedUntil : claimUntil, now);
      if (saved === undefined) {
        conflicts += 1;
        log.warn('record changed by another run; leaving its transition to that run', { registry: record.registryId, exporter: record.exporterName });
        return;
      }
      recordsWritten += 1;
      deliveries.push({ subject: saved, events: foreignClaim ? events : [...saved.outbox.values()], claimed: !foreignClaim, ...(attempt && { attempt }) });
    })),
  );

  const changed = new Set(changes.map(({ previous }) => previous));
  const leftBehind = [...known].filter((subject) => !changed.has(subject) && subject.outbox.size > 0 && subject.claimedUntil <= now);
  await writes.addAll(
    leftBehind.map((subject) => isolated(async () => {
      const claimed = await store.claimOutbox(subject, claimUntil);
      if (claimed) deliveries.push({ subject: claimed, events: [...claimed.outbox.values()], claimed: true });
    })),
  );
  return { deliveries, conflicts, recordsWritten, errors };
}

export interface DeliveryOptions {
  readonly store: RunStore;
  readonly notifier: Notifier;
  /** When the invocation ends. */
  readonly deadline: Deadline;
  readonly log: RunLog;
  /** Outbox writes in flight at once. */
  readonly concurrency: number;
}

/** One record's outbox while it is being delivered. */
interface Progress {
  readonly delivery: Delivery;
  /** The record's version after this run's last write to it; undefined once unknown. */
  version: number | undefined;
  /** Owned entries still in the outbox. */
  readonly pending: Set<string>;
}

export async function deliver(deliveries: readonly Delivery[], options: DeliveryOptions): Promise<DeliveryReport> {
  const events = deliveries.flatMap((delivery) => delivery.events);
  if (events.length === 0) return { delivered: 0, failed: 0, deferred: 0 };
  const { store, notifier, log } = options;
  await store.recordHistory(events);

  const outboxes = deliveries.map((delivery): Progress => ({
    delivery,
    version: delivery.subject.version,
    pending: new Set(delivery.events.map((event) => event.id)),
  }));
  const outboxOf = new Map(outboxes.flatMap((outbox) => [...outbox.pending].map((id) => [id, outbox] as const)));
  const writes = new PQueue({ concurrency: options.concurrency });

  const remove = async (eventIds: readonly string[]): Promise<void> => {
    const byOutbox = new Map<Progress, string[]>();
    for (const id of eventIds) {
      const outbox = outboxOf.get(id);
      if (outbox) byOutbox.set(outbox, [...(byOutbox.get(outbox) ?? []), id]);
    }
    await writes.addAll(
      [...byOutbox].map(([outbox, ids]) => async () => {
        outbox.version = await store.removeFromOutbox(outbox.delivery.subject.record, ids);
        for (const id of ids) outbox.pending.delete(id);
      }),
    );
  };

  // Quiet and muted events are only recorded: out of the outbox now that history has them.
  await remove(events.filter((event) => !isDeliverable(event)).map((event) => event.id));
  const forPeople = events.filter(isDeliverable).sort((a, b) => a.at - b.at);
  const result = await notifier.publish(forPeople, { deadline: options.deadline, onDelivered: remove });
  // A notifier that does not report each request as it goes still has what it delivered removed.
  await remove(result.delivered.filter((id) => outboxOf.get(id)?.pending.has(id)));
  for (const failure of result.failed) log.error('event not delivered; it stays in the outbox for the next run', { ...failure });
  if (result.deferred.length > 0) {
    log.warn('events left for the next run: the invocation had no time to publish them', { deferred: result.deferred.length });
  }

  await writes.addAll(
    outboxes
      .filter(({ delivery, pending, version }) => delivery.claimed && pending.size > 0 && version !== undefined)
      .map(({ delivery, version }) => () => store.releaseClaim(delivery.subject.record, version!)),
  );
  return { delivered: result.delivered.length, failed: result.failed.length, deferred: result.deferred.length };
}
