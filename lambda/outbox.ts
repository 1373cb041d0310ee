/**
 * Delivering the outboxes a run owns: history first (so nothing sent is missing from it), then
 * the events for people, oldest first, a request at a time. What SNS accepted leaves its outbox
 * before the next request starts, and no request starts without the time to finish, so an
 * invocation that runs out of time resends nothing; what it could not deliver stays in the
 * outbox, and its claim is given up so the next run retries at once.
 */
import PQueue from 'p-queue';
import type { MonitorEvent } from './core/model.js';
import { isDeliverable } from './core/silence.js';
import type { Deadline } from './deadline.js';
import type { Notifier } from './notify/notifier.js';
import type { StateStore, StoredSubject } from './store/state-store.js';

/** Outbox entries one run delivers, and the record they are kept in. */
export interface Delivery {
  /** The record as this run last wrote it (saved or claimed). */
  readonly subject: StoredSubject;
  /** Entries this run owns: written to history, then sent if deliverable. */
  readonly events: readonly MonitorEvent[];
  /** Whether the claim on the outbox is this run's; a run delivering under another's claim leaves it alone. */
  readonly claimed: boolean;
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly failed: number;
  /** Events there was no time to offer; the next run sends them. */
  readonly deferred: number;
}

/** The part of a structured logger delivery needs (Powertools Logger fits). */
export interface DeliveryLog {
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface DeliveryDependencies {
  readonly store: StateStore;
  readonly notifier: Notifier;
  /** When the invocation ends. */
  readonly deadline: Deadline;
  readonly log: DeliveryLog;
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

export async function deliver(deliveries: readonly Delivery[], dependencies: DeliveryDependencies): Promise<DeliveryReport> {
  const events = deliveries.flatMap((delivery) => delivery.events);
  if (events.length === 0) return { delivered: 0, failed: 0, deferred: 0 };
  const { store, notifier, log } = dependencies;
  await store.recordHistory(events);

  const outboxes = deliveries.map((delivery): Progress => ({
    delivery,
    version: delivery.subject.version,
    pending: new Set(delivery.events.map((event) => event.id)),
  }));
  const outboxOf = new Map(outboxes.flatMap((outbox) => [...outbox.pending].map((id) => [id, outbox] as const)));
  const writes = new PQueue({ concurrency: dependencies.concurrency });

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
  const result = await notifier.publish(forPeople, { deadline: dependencies.deadline, onDelivered: remove });
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
