import type { MonitorEvent } from '../core/model.js';
import type { Deadline } from '../deadline.js';

/** What happened to each event handed to a notifier. */
export interface PublishResult {
  /** Ids of the events the channel accepted. */
  readonly delivered: readonly string[];
  /** Events the channel did not accept; they stay in the outbox for the next run. */
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
  /**
   * Ids of the events not offered at all: the invocation had no time left for another request.
   * They stay in the outbox for the next run, like failed ones, but nothing went wrong.
   */
  readonly deferred: readonly string[];
}

export interface PublishOptions {
  /** When the invocation ends: no request starts without the time to finish it. */
  readonly deadline?: Deadline;
  /**
   * Called with the ids a request delivered, before the next request starts, so what went out
   * leaves the outbox at once: an invocation that ends later resends none of it.
   */
  readonly onDelivered?: (eventIds: readonly string[]) => Promise<void>;
}

/**
 * Sends events to people. Implementations: SNS in AWS, the console when run locally. It sends
 * every event it is given: which events are meant for people is the outbox's decision.
 */
export interface Notifier {
  publish(events: readonly MonitorEvent[], options?: PublishOptions): Promise<PublishResult>;
}
