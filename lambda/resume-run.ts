/**
 * Makes the resumes this run won (core/auto-resume.ts decided them; staging stored the records
 * that claim them, so no other run makes the same attempt), then stores each outcome in the
 * exporter's outbox, to be delivered with the rest of the run's events in the incident's thread.
 * A dry run asks nothing of the registry.
 */
import { resumeOutcome, type ResumeOutcome } from './core/auto-resume.js';
import type { Deadline } from './deadline.js';
import type { Delivery } from './outbox.js';
import type { RunLog, RunStore, WatchedRegistry } from './ports.js';

export interface ResumeRunOptions {
  readonly store: RunStore;
  readonly now: number;
  readonly claimUntil: number;
  readonly deadline: Deadline;
  readonly log: RunLog;
}

export interface ResumeReport {
  /** The deliveries, each with its outcome event added where an attempt was made. */
  readonly deliveries: readonly Delivery[];
  readonly attempts: number;
  /** Write requests sent (retries included). */
  readonly requests: number;
}

export async function resumeClaimed(deliveries: readonly Delivery[], registry: WatchedRegistry, options: ResumeRunOptions): Promise<ResumeReport> {
  const { store, now, claimUntil, deadline, log } = options;
  let attempts = 0;
  let requests = 0;
  const updated: Delivery[] = [];
  // One at a time, in order: resumes are rare, and the write budget is production's too.
  for (const delivery of deliveries) {
    const { attempt } = delivery;
    if (attempt === undefined) {
      updated.push(delivery);
      continue;
    }
    attempts += 1;
    let outcome: ResumeOutcome = { kind: 'would-resume' };
    if (!attempt.dryRun) {
      const result = await registry.resume(attempt.exporterName, deadline);
      requests += result.requestCount;
      const [failure] = result.failures;
      outcome = result.value !== undefined ? { kind: result.value } : { kind: 'failed', reason: failure?.message ?? 'no answer' };
    }
    log.info('auto-resume attempt', { registryId: attempt.registryId, exporter: attempt.exporterName, attempt: attempt.attempt, outcome: outcome.kind });
    const { record, event } = resumeOutcome(delivery.subject.record, attempt, outcome, now);
    const saved = await store.saveSubject(delivery.subject, record, [event], claimUntil, now);
    if (saved === undefined) {
      // Only a run that ignored this run's claim could have written it; the attempt itself stands.
      log.warn('auto-resume outcome not stored: the record changed meanwhile', { registryId: attempt.registryId, exporter: attempt.exporterName, outcome: outcome.kind });
      updated.push(delivery);
      continue;
    }
    updated.push({ subject: saved, events: delivery.claimed ? [...saved.outbox.values()] : [...delivery.events, event], claimed: delivery.claimed });
  }
  return { deliveries: updated, attempts, requests };
}
