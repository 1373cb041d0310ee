/**
 * Forgetting an exporter deleted on purpose: its record goes, and with it the incident the monitor
 * keeps reminding about (a known exporter is re-checked every run until its record is gone).
 * Only a MISSING record may go, decided by DynamoDB in the same request, so an exporter that came
 * back between a look at `status` and this call is never forgotten by mistake. History stays.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { forgottenEvent } from '../core/events.js';
import { MISSING, type SubjectRecord } from '../core/model.js';
import { registryPk, subjectSk } from './keys.js';
import type { StateStore } from './state-store.js';

export type ForgetOutcome = 'forgotten' | 'not-missing' | 'not-found';

/** The table to forget in, and the store that writes its history. */
export interface ForgetTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Built with the retention the monitor keeps history for, so the end of the incident expires with the rest of it. */
  readonly store: Pick<StateStore, 'recordHistory'>;
}

export async function forgetExporter(
  { client, tableName, store }: ForgetTable,
  registryId: string,
  exporterName: string,
  /** When the forgetting happens: stamps the event that ends the incident. The caller's clock, never read here. */
  now: number,
): Promise<ForgetOutcome> {
  const key = { pk: { S: registryPk(registryId) }, sk: { S: subjectSk(exporterName) } };
  try {
    const { Attributes } = await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: '#state = :missing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':missing': { S: MISSING } },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const forgotten = Attributes && (unmarshall(Attributes) as SubjectRecord);
    // The end of the incident goes to history, so no view rebuilt from it shows the incident open.
    if (forgotten?.incident) await store.recordHistory([forgottenEvent({ ...forgotten, incident: forgotten.incident }, now)]);
    return 'forgotten';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // DynamoDB returns the item that failed the condition; no item means there was none.
    if (error.Item !== undefined) return 'not-missing';
    // Emulators older than ReturnValuesOnConditionCheckFailure (dynalite) never return it, so
    // absence is confirmed with a strongly consistent read of the key (a Query, which needs no
    // permission beyond the ones the CLI already has; against DynamoDB it finds nothing).
    return (await recordExists(client, tableName, key)) ? 'not-missing' : 'not-found';
  }
}

async function recordExists(client: DynamoDBClient, tableName: string, key: { pk: { S: string }; sk: { S: string } }): Promise<boolean> {
  const { Count } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
      ProjectionExpression: 'pk',
      ConsistentRead: true,
    }),
  );
  return (Count ?? 0) > 0;
}
