/**
 * The local store that `npm start -- --url ...` keeps in a folder (dynalite on LevelDB). LevelDB
 * lets one process open a folder at a time: the CLI opens a free folder itself, and reads one that
 * another process holds (the watch, the demo) through the endpoint that process publishes in it.
 */
import path from 'node:path';
import { type AttributeValue, DescribeTableCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { embeddedStoreClient, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../local/dynamo-table.js';
import { readStoreEndpoint, STORE_ENDPOINT_FILE, type StoreEndpoint } from '../local/store-endpoint.js';
import { REGISTRY_DEFAULTS } from '../lambda/config.js';
import { RUN_SK } from '../lambda/store/keys.js';
import { StateStore } from '../lambda/store/state-store.js';
import { CliError } from './errors.js';
import type { Target } from './target.js';

/**
 * `historyRetentionDays`: as given, else the one `npm start` keeps history for. Neither the watch
 * (local/start.ts) nor the demo (local/story.ts) sets a retention, so it is the configuration's default.
 */
export async function openLocalTarget(dir: string, historyRetentionDays: number = REGISTRY_DEFAULTS.historyRetentionDays): Promise<Target> {
  if ((await folderState(dir)) === 'held') return servedTarget(dir, historyRetentionDays);
  const dynamo = await startEmbeddedDynamo({ path: dir });
  return targetOn(dynamo.client, `local store ${dir}`, historyRetentionDays, () => dynamo.close());
}

function targetOn(client: DynamoDBClient, label: string, historyRetentionDays: number, close: () => Promise<void>): Target {
  return {
    label,
    client,
    tableName: LOCAL_TABLE_NAME,
    store: new StateStore({ client, tableName: LOCAL_TABLE_NAME, historyRetentionDays }),
    listRegistries: () => registriesWithRuns(client),
    close,
  };
}

/** How long the process holding the store has to answer before the CLI calls it gone. */
const SERVED_ANSWER_MS = 3_000;

/**
 * The folder is held by another process: its data, read and written through that process's
 * dynalite (the same server the monitor uses, so the CLI sees exactly what the monitor sees).
 */
async function servedTarget(dir: string, historyRetentionDays: number): Promise<Target> {
  const held = `the local store ${dir} is in use by another process`;
  let served: StoreEndpoint | undefined;
  try {
    served = readStoreEndpoint(dir);
  } catch (error) {
    throw new CliError(`${held}, and its ${(error as Error).message}: stop that process to read the folder itself`);
  }
  if (served === undefined) {
    throw new CliError(`${held} that does not say where it serves it (no ${STORE_ENDPOINT_FILE}): stop that process to read the folder itself`);
  }
  const client = embeddedStoreClient(served.endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }), { abortSignal: AbortSignal.timeout(SERVED_ANSWER_MS) });
  } catch (error) {
    client.destroy();
    const reason = (error as Error).message.split('\n', 1)[0] || (error as Error).name;
    throw new CliError(`${held}, but process ${served.pid} does not answer at ${served.endpoint} as its ${STORE_ENDPOINT_FILE} says (${reason}): stop whatever holds the folder and try again`);
  }
  return targetOn(client, `local store ${dir} (served by process ${served.pid})`, historyRetentionDays, async () => client.destroy());
}

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * dynalite opens LevelDB lazily and throws a locked or missing folder as an uncaught exception
 * on the first request, so the folder is tried here first, with the same `level` module dynalite
 * uses: free to open, held by another process, or a one-line error saying what is wrong.
 */
async function folderState(dir: string): Promise<'free' | 'held'> {
  // Checked first: LevelDB creates the folder even when told not to create a database.
  // A folder without LevelDB's CURRENT file holds no store (the demo's lives in a folder of its own inside).
  if (!existsSync(path.join(dir, 'CURRENT'))) {
    const demo = path.join(dir, 'demo');
    const hint = existsSync(path.join(demo, 'CURRENT')) ? `; the demo's is in ${demo}: --local ${demo}` : '';
    throw new CliError(`no local store in ${dir}: \`npm start -- --url URL\` creates one there (or pass --local DIR)${hint}`);
  }
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = fromDynalite('level') as { Level: new (path: string, options: object) => LevelDb };
  const db = new Level(dir, { createIfMissing: false });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: Error & { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') return 'held';
    throw new CliError(`cannot open the local store ${dir}: ${(cause ?? (error as Error)).message}`);
  }
  await db.close();
  return 'free';
}

/**
 * Every run writes its registry's RUN item. A Scan is acceptable here only because the local
 * store is small and on this machine; against AWS the registries come from the deployment.
 */
async function registriesWithRuns(client: DynamoDBClient): Promise<string[]> {
  const registries: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: LOCAL_TABLE_NAME,
        FilterExpression: 'sk = :run',
        ProjectionExpression: 'pk',
        ExpressionAttributeValues: { ':run': { S: RUN_SK } },
        ExclusiveStartKey: startKey,
      }),
    );
    registries.push(...(page.Items ?? []).map((item) => item.pk!.S!.replace(/^REG#/, '')));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return registries.sort();
}
