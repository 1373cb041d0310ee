/**
 * A DynamoDB client for dynalite that fails on purpose: throttling errors the SDK retries,
 * responses lost after the write happened (the SDK retries a write that already succeeded), and
 * BatchWriteItem answers that leave items unprocessed. The fault sits inside the SDK's retry loop,
 * as a real throttled or dropped response would, and counts what it did.
 */
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

export type DynamoOperation = 'Query' | 'PutItem' | 'UpdateItem' | 'BatchWriteItem';

export type DynamoFaultKind =
  /** Throttled: the request is refused before it reaches the table. */
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  /** The request reached the table and took effect, but the answer never came back (a timeout). */
  | 'lost-response'
  /** BatchWriteItem: every item comes back in UnprocessedItems, nothing written. */
  | 'unprocessed';

export interface DynamoFault {
  readonly operation: DynamoOperation;
  readonly kind: DynamoFaultKind;
  /** How many calls (attempts, retries included) it hits. */
  readonly times: number;
}

/** The Lambda's client makes 6 attempts (handler.ts); so does this one, with 1 ms back-offs. */
export const SDK_MAX_ATTEMPTS = 6;

export class FaultyDynamo {
  readonly client: DynamoDBClient;
  /** Attempts per operation, faulted or not. */
  readonly calls: Record<string, number> = {};
  /** Faults injected per `operation kind`. */
  readonly injected: Record<string, number> = {};
  private readonly faults: { fault: DynamoFault; remaining: number }[] = [];

  constructor(endpoint: string) {
    this.client = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: SDK_MAX_ATTEMPTS,
      retryStrategy: new ConfiguredRetryStrategy(SDK_MAX_ATTEMPTS, 1),
    });
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        const entry = this.faults.find(({ fault, remaining }) => fault.operation === operation && remaining > 0);
        if (!entry) return next(args);
        entry.remaining -= 1;
        const key = `${operation} ${entry.fault.kind}`;
        this.injected[key] = (this.injected[key] ?? 0) + 1;
        const $metadata = { httpStatusCode: 400, requestId: 'injected' };
        switch (entry.fault.kind) {
          case 'ProvisionedThroughputExceededException':
            throw new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata });
          case 'ThrottlingException':
            throw new ThrottlingException({ message: 'Throughput exceeds the current capacity for one or more global secondary indexes.', $metadata });
          case 'lost-response': {
            await next(args);
            const timeout = new Error('Connection timed out after 1000 ms');
            timeout.name = 'TimeoutError';
            throw timeout;
          }
          case 'unprocessed': {
            const input = args.input as { RequestItems?: Record<string, WriteRequest[]> };
            return {
              response: { statusCode: 200, headers: {}, body: undefined },
              output: { UnprocessedItems: input.RequestItems ?? {}, $metadata: { httpStatusCode: 200 } },
            } as unknown as Awaited<ReturnType<typeof next>>;
          }
        }
      },
      { step: 'deserialize', priority: 'high', name: 'injectDynamoFaults' },
    );
  }

  inject(...faults: DynamoFault[]): this {
    this.faults.push(...faults.map((fault) => ({ fault, remaining: fault.times })));
    return this;
  }

  clear(): void {
    this.faults.splice(0);
  }

  close(): void {
    this.client.destroy();
  }
}
