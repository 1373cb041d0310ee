/**
 * Forgetting an exporter deleted on purpose: its record goes, and with it the incident the monitor
 * keeps reminding about (a known exporter is re-checked every run until its record is gone).
 * Only a MISSING record may go, decided by DynamoDB in the same request, so an exporter that came
 * back between a look at `status` and this call is never forgotten by mistake. History stays.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { MISSING } from '../core/model.js';
import { registryPk, subjectSk } from './keys.js';

export type ForgetOutcome = 'forgotten' | 'not-missing' | 'not-found';

export async function forgetExporter(client: DynamoDBClient, tableName: string, registryId: string, exporterName: string): Promise<ForgetOutcome> {
  const key = { pk: { S: registryPk(registryId) }, sk: { S: subjectSk(exporterName) } };
  try {
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: '#state = :missing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':missing': { S: MISSING } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
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
