/**
 * An SNS client stand-in for runs driven directly through `runMonitor`: it accepts, refuses or
 * throws per PublishBatch request as scripted, and keeps every entry it accepted, so a test can
 * count what people actually received (by the `event_id` attribute).
 */
import type { PublishBatchCommand, PublishBatchRequestEntry, PublishBatchResponse, SNSClient } from '@aws-sdk/client-sns';

/** How SNS answers one PublishBatch request. */
export type SnsResponder = (entries: readonly PublishBatchRequestEntry[]) => PublishBatchResponse | Promise<PublishBatchResponse>;

export const acceptAll: SnsResponder = (entries) => ({
  Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
  Failed: [],
});

/** The request fails as a whole, like a throttled topic or a KMS key SNS may not use. */
export function throwing(name: string, message = `${name} (injected)`): SnsResponder {
  return () => {
    const error = new Error(message);
    error.name = name;
    throw error;
  };
}

/** SNS accepts the request but reports the entries matching `refuse` as Failed. */
export function refusing(refuse: (entry: PublishBatchRequestEntry) => boolean, code = 'InternalError'): SnsResponder {
  return (entries) => ({
    Successful: entries.filter((entry) => !refuse(entry)).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
    Failed: entries.filter(refuse).map((entry) => ({ Id: entry.Id, Code: code, Message: 'injected refusal', SenderFault: false })),
  });
}

/**
 * SNS answers the request, but the entries matching `omit` are in neither `Successful` nor
 * `Failed`: nothing says they were accepted, so they were not.
 */
export function omitting(omit: (entry: PublishBatchRequestEntry) => boolean): SnsResponder {
  return (entries) => ({
    Successful: entries.filter((entry) => !omit(entry)).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
    Failed: [],
  });
}

export function eventIdOf(entry: PublishBatchRequestEntry): string {
  return entry.MessageAttributes?.event_id?.StringValue ?? '';
}

export function attributeOf(entry: PublishBatchRequestEntry, name: string): string | undefined {
  return entry.MessageAttributes?.[name]?.StringValue;
}

export class FakeSns {
  /** Every entry SNS accepted, in order: what subscribers received. */
  readonly accepted: PublishBatchRequestEntry[] = [];
  /** Every PublishBatch request, accepted or not. */
  readonly requests: PublishBatchRequestEntry[][] = [];
  private readonly script: SnsResponder[] = [];
  private fallback: SnsResponder = acceptAll;

  /** The next requests are answered by these, in order; then `fallback` again. */
  next(...responders: SnsResponder[]): this {
    this.script.push(...responders);
    return this;
  }

  /** Every request from now on (after the scripted ones). */
  always(responder: SnsResponder): this {
    this.fallback = responder;
    return this;
  }

  readonly client = {
    send: async (command: PublishBatchCommand): Promise<PublishBatchResponse> => {
      const entries = command.input.PublishBatchRequestEntries ?? [];
      this.requests.push(entries);
      const response = await (this.script.shift() ?? this.fallback)(entries);
      const accepted = new Set((response.Successful ?? []).map((entry) => entry.Id));
      this.accepted.push(...entries.filter((entry) => accepted.has(entry.Id)));
      return response;
    },
  } as unknown as SNSClient;

  /** Event ids subscribers received, in order (duplicates kept, so a test can count them). */
  eventIds(): string[] {
    return this.accepted.map(eventIdOf);
  }

  /** `exporter event` (or `(registry) event`) of each accepted message, in order. */
  deliveries(): string[] {
    return this.accepted.map((entry) => `${attributeOf(entry, 'exporter') ?? '(registry)'} ${attributeOf(entry, 'event')}`);
  }
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}
