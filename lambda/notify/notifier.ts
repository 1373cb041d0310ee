import type { MonitorEvent } from '../core/model.js';

/** What happened to each event handed to a notifier. */
export interface PublishResult {
  /** Ids of the events the channel accepted. */
  readonly delivered: readonly string[];
  /** Events the channel did not accept; they stay in the outbox for the next run. */
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
}

/** Sends events to people. Implementations: SNS in AWS, the console when run locally. */
export interface Notifier {
  publish(events: readonly MonitorEvent[]): Promise<PublishResult>;
}
