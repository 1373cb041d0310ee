/**
 * Sends events to the SNS topic shared by every subscriber (email, AWS Chatbot, queues), with
 * PublishBatch: one request for up to ten events.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import type { MonitorEvent } from '../core/model.js';
import type { Deadline } from '../deadline.js';
import type { MessageContext } from './message-context.js';
import { type SnsMessage, snsMessage } from './messages.js';
import type { Notifier, PublishOptions, PublishResult } from './notifier.js';

/** SNS limits for one PublishBatch request: ten entries, and 256 KiB for all of them together. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
/**
 * One PublishBatch attempt gives up after this long. Set explicitly (the SDK has no timeout of its
 * own), because a request is only started when the invocation has this much time left and more.
 */
export const SNS_REQUEST_TIMEOUT_MS = 3_000;
/** First try plus the SDK's retries of throttling and 5xx, all within the time the invocation has left. */
const SNS_MAX_ATTEMPTS = 3;
/** Kept after the last publish to take what it delivered out of the outbox and record the run. */
export const AFTER_PUBLISH_MS = 2_000;

/** The SNS client the notifier is built for: its timeout is the one the time checks count on. */
export function snsClient(): SNSClient {
  return new SNSClient({ maxAttempts: SNS_MAX_ATTEMPTS, requestHandler: { requestTimeout: SNS_REQUEST_TIMEOUT_MS } });
}

/** Time a request may still use, or undefined when it should not start at all. */
function timeForRequestMs(deadline: Deadline | undefined): number | undefined {
  if (deadline === undefined) return Number.POSITIVE_INFINITY;
  const usable = deadline.timeLeftMs() - AFTER_PUBLISH_MS;
  return usable >= SNS_REQUEST_TIMEOUT_MS ? usable : undefined;
}

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** Base URL by registry id, for the commands in the messages. */
  readonly registryBaseUrls: ReadonlyMap<string, string>;
  /**
   * How each registry authenticates, by registry id, so the curl commands in the messages send
   * the right headers (a registry's `AuthConfig` fits as it is). Basic auth for a registry absent here.
   */
  readonly registryAuth?: ReadonlyMap<string, MessageContext['registryAuth']>;
}

interface Outgoing {
  readonly event: MonitorEvent;
  readonly message: SnsMessage;
  readonly bytes: number;
}

type Failure = PublishResult['failed'][number];

/** What SNS counts against the batch limit: bodies and attributes (the subject too, to be safe). */
function size(message: SnsMessage): number {
  const attributes = Object.entries(message.MessageAttributes).reduce(
    (sum, [name, attribute]) => sum + Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType ?? '') + Buffer.byteLength(attribute.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(message.Message) + Buffer.byteLength(message.Subject) + attributes;
}

/**
 * Cuts messages, in order, into PublishBatch requests SNS accepts. The formatter bounds a message
 * to ~21 KB, so ten always fit today; the size rule keeps that true if the bounds ever grow.
 */
export function* batches<T extends { readonly bytes: number }>(items: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + item.bytes > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.bytes;
  }
  if (batch.length > 0) yield batch;
}

export class SnsNotifier implements Notifier {
  constructor(private readonly options: SnsNotifierOptions) {}

  /**
   * Throws only what `onDelivered` throws: whatever SNS did not accept is reported failed, what
   * there was no time for is reported deferred, and both stay in the outbox for the next run.
   */
  async publish(events: readonly MonitorEvent[], options: PublishOptions = {}): Promise<PublishResult> {
    const delivered: string[] = [];
    const failed: Failure[] = [];
    let offered = 0;
    // One request after the other: a run has a few batches at most, and a throttled topic is not hit harder.
    for (const batch of batches(this.format(events))) {
      const timeMs = timeForRequestMs(options.deadline);
      if (timeMs === undefined) break;
      offered += batch.length;
      const result = await this.send(batch, timeMs);
      if (result.delivered.length > 0) await options.onDelivered?.(result.delivered);
      delivered.push(...result.delivered);
      failed.push(...result.failed);
    }
    return { delivered, failed, deferred: events.slice(offered).map((event) => event.id) };
  }

  /**
   * Formats lazily, a batch at a time: a message is ~5 KB, and a storm of a thousand events
   * formatted up front would hold ~5 MB at once.
   */
  private *format(events: readonly MonitorEvent[]): Generator<Outgoing> {
    for (const event of events) {
      const message = snsMessage(event, {
        registryBaseUrl: this.options.registryBaseUrls.get(event.registryId),
        registryAuth: this.options.registryAuth?.get(event.registryId),
      });
      yield { event, message, bytes: size(message) };
    }
  }

  private async send(batch: readonly Outgoing[], timeMs: number): Promise<Omit<PublishResult, 'deferred'>> {
    // Entry ids must match [A-Za-z0-9_-]{1,80}, which event ids need not: the index in the batch stands in.
    const entries: PublishBatchRequestEntry[] = batch.map((item, index) => ({ Id: String(index), ...item.message }));
    try {
      // Retries included, the request ends before the invocation does: an answer SNS gives after
      // the function was stopped would leave delivered events in the outbox, to be sent again.
      const abortSignal = Number.isFinite(timeMs) ? AbortSignal.timeout(timeMs) : undefined;
      const command = new PublishBatchCommand({ TopicArn: this.options.topicArn, PublishBatchRequestEntries: entries });
      const response = await this.options.client.send(command, { ...(abortSignal && { abortSignal }) });
      const accepted = new Set((response.Successful ?? []).map((entry) => entry.Id));
      const refused = new Map((response.Failed ?? []).map((entry) => [entry.Id, `${entry.Code ?? 'Failed'}: ${entry.Message ?? 'no reason given'}`]));
      const delivered: string[] = [];
      const failed: Failure[] = [];
      batch.forEach(({ event }, index) => {
        const id = String(index);
        if (accepted.has(id)) delivered.push(event.id);
        else failed.push({ id: event.id, reason: refused.get(id) ?? 'SNS reported no result for this entry' });
      });
      return { delivered, failed };
    } catch (error) {
      // Throttling, a KMS key SNS cannot use, an outage: nothing in this batch was accepted.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { delivered: [], failed: batch.map(({ event }) => ({ id: event.id, reason })) };
    }
  }
}
