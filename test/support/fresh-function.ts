/**
 * The real Lambda handler as a new container would load it: a fresh module registry per call
 * (handler.ts keeps its runtime, and configuration-alert.ts its "already reported" flag, in module
 * scope), with SNS and Secrets Manager mocked inside that registry so the handler's own SDK
 * classes are the ones stubbed. The environment is the caller's (set it before the first invoke).
 */
import { jest } from '@jest/globals';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaContext } from '../../local/lambda-context.js';

export type SecretAnswer = string | { readonly error: 'ResourceNotFoundException' | 'AccessDeniedException' | 'DecryptionFailure' };

export interface FreshFunctionOptions {
  /** Secret id -> its SecretString, or the error Secrets Manager answers with. May be changed between invocations. */
  readonly secrets: Map<string, SecretAnswer>;
  /** Called for each PublishBatch instead of accepting every entry; may be changed between invocations. */
  publishBatch?: ((entries: PublishBatchRequestEntry[]) => unknown) | undefined;
  /**
   * Called once for each DynamoDB client the function builds, before its first request, with the
   * client as the function configured it (to put faults inside its retry loop, for instance).
   */
  readonly onDynamoClient?: (client: DynamoDBClient) => void;
}

export interface FreshFunction {
  invoke(context?: Context): Promise<unknown>;
  /** Every entry SNS accepted. */
  readonly published: PublishBatchRequestEntry[];
  /** Every entry the function tried to publish, accepted or not. */
  readonly attempted: PublishBatchRequestEntry[];
  /** Secret ids requested from Secrets Manager. */
  readonly secretRequests: string[];
  /** Stops the mocks of this container's SDK classes. */
  restore(): void;
}

export async function freshFunction(options: FreshFunctionOptions): Promise<FreshFunction> {
  let loaded: FreshFunction | undefined;
  await jest.isolateModulesAsync(async () => {
    const [{ handler }, sns, secretsManager, dynamodb] = await Promise.all([
      import('../../lambda/handler.js'),
      import('@aws-sdk/client-sns'),
      import('@aws-sdk/client-secrets-manager'),
      import('@aws-sdk/client-dynamodb'),
    ]);
    // The handler's own DynamoDB clients, seen as they send their first request.
    const dynamoPrototype = dynamodb.DynamoDBClient.prototype as { send: DynamoDBClient['send'] };
    const hadOwnSend = Object.prototype.hasOwnProperty.call(dynamoPrototype, 'send');
    const originalSend = dynamoPrototype.send;
    if (options.onDynamoClient) {
      const seen = new WeakSet<DynamoDBClient>();
      const onClient = options.onDynamoClient;
      dynamoPrototype.send = function (this: DynamoDBClient, ...args: Parameters<DynamoDBClient['send']>) {
        if (!seen.has(this)) {
          seen.add(this);
          onClient(this);
        }
        return (originalSend as (...a: unknown[]) => ReturnType<DynamoDBClient['send']>).apply(this, args);
      } as DynamoDBClient['send'];
    }
    const published: PublishBatchRequestEntry[] = [];
    const attempted: PublishBatchRequestEntry[] = [];
    const secretRequests: string[] = [];
    const snsMock = mockClient(sns.SNSClient);
    snsMock.on(sns.PublishBatchCommand).callsFake(async (input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      const entries = input.PublishBatchRequestEntries;
      attempted.push(...entries);
      if (options.publishBatch) return options.publishBatch(entries);
      published.push(...entries);
      return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    });
    const secretsMock = mockClient(secretsManager.SecretsManagerClient);
    secretsMock.on(secretsManager.GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
      secretRequests.push(input.SecretId);
      const answer = options.secrets.get(input.SecretId) ?? { error: 'ResourceNotFoundException' as const };
      if (typeof answer === 'string') return { Name: input.SecretId, SecretString: answer };
      const $metadata = { httpStatusCode: 400 };
      switch (answer.error) {
        case 'ResourceNotFoundException':
          throw new secretsManager.ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata });
        case 'DecryptionFailure':
          throw new secretsManager.DecryptionFailure({ message: 'Access to KMS is not allowed', $metadata });
        default: {
          const denied = new Error(`User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${input.SecretId}`);
          denied.name = 'AccessDeniedException';
          throw denied;
        }
      }
    });
    loaded = {
      invoke: (context = lambdaContext()) => handler({}, context),
      published,
      attempted,
      secretRequests,
      restore: () => {
        snsMock.restore();
        secretsMock.restore();
        if (options.onDynamoClient && hadOwnSend) dynamoPrototype.send = originalSend;
        else if (options.onDynamoClient) delete (dynamoPrototype as { send?: unknown }).send;
      },
    };
  });
  return loaded!;
}

/** Sets environment variables (undefined deletes one) and returns a function that puts them back. */
export function withEnvironment(values: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}
