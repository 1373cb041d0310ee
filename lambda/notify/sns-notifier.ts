/**
 * Sends events to the SNS topic shared by every subscriber (email, AWS Chatbot, queues), with
 * PublishBatch: one request for up to ten events.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import type { MonitorEvent } from '../core/model.js';
import { isSendable, type MessageContext, type SnsMessage, snsMessage } from './messages.js';
import type { Notifier, PublishResult } from './notifier.js';

/** SNS limits for one PublishBatch request: ten entries, and 256 KiB for all of them together. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

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

function* batches(items: Iterable<Outgoing>): Generator<Outgoing[]> {
  let batch: Outgoing[] = [];
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

  /** Never throws: whatever SNS did not accept is reported failed, and stays in the outbox for the next run. */
  async publish(events: readonly MonitorEvent[]): Promise<PublishResult> {
    // The caller passes only events meant for people. One that slips through is not sent, and is
    // reported delivered: failed would keep it in the outbox, retried forever and never sent.
    const delivered = events.filter((event) => !isSendable(event)).map((event) => event.id);
    const failed: Failure[] = [];
    // One request after the other: a run has a few batches at most, and a throttled topic is not hit harder.
    for (const batch of batches(this.format(events.filter(isSendable)))) {
      const result = await this.send(batch);
      delivered.push(...result.delivered);
      failed.push(...result.failed);
    }
    return { delivered, failed };
  }

  /**
   * Formats lazily, a batch at a time: a message is ~20 KB, and a storm of a thousand events
   * formatted up front would hold ~20 MB at once.
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

  private async send(batch: readonly Outgoing[]): Promise<PublishResult> {
    // Entry ids must match [A-Za-z0-9_-]{1,80}, which event ids need not: the index in the batch stands in.
    const entries: PublishBatchRequestEntry[] = batch.map((item, index) => ({ Id: String(index), ...item.message }));
    try {
      const response = await this.options.client.send(new PublishBatchCommand({ TopicArn: this.options.topicArn, PublishBatchRequestEntries: entries }));
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
