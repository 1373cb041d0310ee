/**
 * Creates the monitor's table in an embedded DynamoDB (dynalite) with the same keys and index as
 * the CDK construct deploys, so the local command, the tests and the benchmark exercise the real layout.
 */
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HISTORY_BY_DAY_INDEX } from '../lambda/store/keys.js';
import { publishStoreEndpoint, withdrawStoreEndpoint } from './store-endpoint.js';

export const LOCAL_TABLE_NAME = 'schema-exporter-monitor';

export async function createMonitorTable(client: DynamoDBClient, tableName: string = LOCAL_TABLE_NAME): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: HISTORY_BY_DAY_INDEX,
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    // A persistent local store keeps its table between runs.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite answers CreateTable before the table is ACTIVE (it marks it so on a timer, and a
  // persistent store writes that to disk): until then every write is refused as "not found".
  await waitUntilTableExists({ client, maxWaitTime: TABLE_READY_SECONDS, minDelay: 0.01, maxDelay: 0.1 }, { TableName: tableName });
}

/** How long creating the table may take before the embedded store gives up. */
const TABLE_READY_SECONDS = 10;

export interface EmbeddedDynamo {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  /** Requests received per DynamoDB operation (Query, PutItem, ...), from any client. */
  readonly operations: Readonly<Record<string, number>>;
  resetOperations(): void;
  close(): Promise<void>;
}

/** A client of an embedded store at `endpoint`: dynalite takes any credentials and region. */
export function embeddedStoreClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Starts dynalite on 127.0.0.1 (in memory, or persistent in `path`) with the monitor's table. A
 * persistent store says in its folder where it is served until it closes (store-endpoint.ts), so
 * other processes can read it meanwhile.
 */
export async function startEmbeddedDynamo(options: { path?: string; tableName?: string } = {}): Promise<EmbeddedDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path && { path: options.path }) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let operations: Record<string, number> = {};
  server.on('request', (request: IncomingMessage) => {
    const operation = String(request.headers['x-amz-target'] ?? 'unknown').split('.').pop()!;
    operations[operation] = (operations[operation] ?? 0) + 1;
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = embeddedStoreClient(endpoint);
  await createMonitorTable(client, options.tableName);
  // Only now: dynalite opens (and locks) the folder on the first request, which creating the table was.
  if (options.path) publishStoreEndpoint(options.path, { endpoint, pid: process.pid });
  operations = {};
  return {
    client,
    endpoint,
    get operations() {
      return operations;
    },
    resetOperations: () => {
      operations = {};
    },
    close: async () => {
      if (options.path) withdrawStoreEndpoint(options.path);
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
