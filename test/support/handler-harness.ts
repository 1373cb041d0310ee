/**
 * Runs the real Lambda handler against the registry simulator and dynalite, with SNS and Secrets
 * Manager mocked (nothing real stands in for them here). Shared by the handler's tests.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { RegistrySimulator } from '../../local/simulator.js';

export const API_KEY = 'HARNESSKEY';
export const API_SECRET = 'harness-secret-value-1234';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:exporter-alerts';

export interface Harness {
  readonly simulator: RegistrySimulator;
  readonly dynamo: EmbeddedDynamo;
  readonly sns: ReturnType<typeof mockClient>;
  /** Every entry published so far, in order. */
  readonly published: PublishBatchRequestEntry[];
  invoke(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The function's environment as the CDK construct sets it, on the dynalite at `dynamoEndpoint`
 * and TOPIC_ARN. A MONITOR_CONFIG of undefined stands for the variable being absent (for
 * withEnvironment, which deletes it).
 */
export function functionEnvironment(dynamoEndpoint: string, monitorConfig: string | undefined): Record<string, string | undefined> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    TABLE_NAME: LOCAL_TABLE_NAME,
    TOPIC_ARN,
    MONITOR_CONFIG: monitorConfig,
  };
}

/** Sets the function's environment as the CDK construct would, then loads the handler. */
export async function startHarness(registry: Record<string, unknown> = {}): Promise<Harness> {
  const simulator = await RegistrySimulator.start({ auth: { kind: 'basic', apiKey: API_KEY, apiSecret: API_SECRET } });
  const dynamo = await startEmbeddedDynamo();
  Object.assign(process.env, {
    ...functionEnvironment(
      dynamo.endpoint,
      JSON.stringify({
        registries: [
          { id: 'prod', baseUrl: simulator.baseUrl, allowInsecureHttp: true, auth: { kind: 'basic', secretId: 'sr/prod' }, ...registry },
        ],
      }),
    ),
    POWERTOOLS_SERVICE_NAME: 'schema-exporter-monitor',
  });
  mockClient(SecretsManagerClient)
    .on(GetSecretValueCommand, { SecretId: 'sr/prod' })
    .resolves({ SecretString: JSON.stringify({ apiKey: API_KEY, apiSecret: API_SECRET }) });
  const published: PublishBatchRequestEntry[] = [];
  const sns = mockClient(SNSClient);
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
    published.push(...input.PublishBatchRequestEntries);
    return { Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
  });
  const { handler } = await import('../../lambda/handler.js');
  return {
    simulator,
    dynamo,
    sns,
    published,
    invoke: () => handler({}, lambdaContext()),
    close: async () => {
      await simulator.close();
      await dynamo.close();
    },
  };
}
