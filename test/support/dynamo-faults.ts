/**
 * DynamoDB that fails on purpose: throttling errors the SDK retries, responses lost after the
 * write happened (the SDK retries a write that already succeeded), and BatchWriteItem answers that
 * leave items unprocessed. The fault sits inside the SDK's retry loop, as a real throttled or
 * dropped response would, and counts what it did. `FaultyDynamo` is a client for dynalite built
 * with the Lambda's number of attempts; `DynamoFaults.install` puts the same faults into a client
 * someone else built (the handler's own, through fresh-function.ts).
 */
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { DYNAMO_MAX_ATTEMPTS } from '../../lambda/handler.js';

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

/**
 * As many attempts as the Lambda's client makes (handler.ts): the rig's client is built with the
 * function's own number, so lowering it there lowers it here.
 */
export const SDK_MAX_ATTEMPTS = DYNAMO_MAX_ATTEMPTS;

/** Faults injected into one or more DynamoDB clients (the rig's, or the handler's own), counted together. */
export class DynamoFaults {
  /** Attempts per operation, faulted or not. */
  readonly calls: Record<string, number> = {};
  /** Faults injected per `operation kind`. */
  readonly injected: Record<string, number> = {};
  private readonly faults: { fault: DynamoFault; remaining: number }[] = [];

  /** Puts the faults inside `client`'s retry loop, where a throttled or lost response happens. */
  install(client: DynamoDBClient): void {
    client.middlewareStack.add(
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
}

/**
 * Keeps the attempts `client` was configured with, but waits 1 ms between them instead of the
 * SDK's throttling backoff (a second and more), so a test of many throttles takes no time.
 */
export function withShortBackoff(client: DynamoDBClient): void {
  const config = client.config as unknown as { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<unknown> };
  const strategy = new ConfiguredRetryStrategy(config.maxAttempts, 1);
  config.retryStrategy = () => Promise.resolve(strategy);
}

/** A client for dynalite built like the Lambda's (DYNAMO_MAX_ATTEMPTS attempts, 1 ms back-offs), with faults. */
export class FaultyDynamo extends DynamoFaults {
  readonly client: DynamoDBClient;

  constructor(endpoint: string) {
    super();
    this.client = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: DYNAMO_MAX_ATTEMPTS,
    });
    withShortBackoff(this.client);
    this.install(this.client);
  }

  close(): void {
    this.client.destroy();
  }
}
