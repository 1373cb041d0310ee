/**
 * The local store that `npm start -- --url ...` keeps in a folder (dynalite on LevelDB). LevelDB
 * lets one process open a folder at a time, so while the monitor runs the CLI cannot read it.
 */
import path from 'node:path';
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../local/dynamo-table.js';
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
  await assertUsable(dir);
  const dynamo = await startEmbeddedDynamo({ path: dir });
  return {
    label: `local store ${dir}`,
    client: dynamo.client,
    tableName: LOCAL_TABLE_NAME,
    store: new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays }),
    listRegistries: () => registriesWithRuns(dynamo.client),
    close: () => dynamo.close(),
  };
}

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * dynalite opens LevelDB lazily and throws a locked or missing folder as an uncaught exception
 * on the first request, so the folder is tried here first, with the same `level` module dynalite
 * uses, to say what is wrong in one line.
 */
async function assertUsable(dir: string): Promise<void> {
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
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new CliError(`the local store ${dir} is in use by another process (npm start?); LevelDB allows one process at a time: stop it first`);
    }
    throw new CliError(`cannot open the local store ${dir}: ${(cause ?? (error as Error)).message}`);
  }
  await db.close();
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
