import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { BatchWriteItemCommand, ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { REGISTRY_DEFAULTS } from '../../lambda/config.js';
import { forgetExporter } from '../../lambda/store/forget.js';
import { historyPk } from '../../lambda/store/keys.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { cli, HOUR, json, record, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const DAY_S = 86_400;
const gone = { id: 'inc-audit', openedAt: NOW - 2 * HOUR, cause: 'MISSING: MISSING' };

/** What forgetExporter is given: the table, and a store on it that keeps history `historyRetentionDays` days. */
function table(client: DynamoDBClient, tableName: string, historyRetentionDays: number = REGISTRY_DEFAULTS.historyRetentionDays) {
  return { client, tableName, store: new StateStore({ client, tableName, historyRetentionDays }) };
}

/** The history items of an exporter, read straight from the table. */
async function historyItems(client: DynamoDBClient, registryId: string, exporterName: string): Promise<Record<string, unknown>[]> {
  const { Items } = await client.send(
    new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: historyPk(registryId, exporterName) } } }),
  );
  return (Items ?? []).map((item) => unmarshall(item));
}

describe('forget against a local store', () => {
  let store: Awaited<ReturnType<typeof temporaryDir>>;
  const run = (...argv: string[]) => cli(['--local', store.path, ...argv], { now: NOW });
  // History windows end before `now` ([from, now)), so an event written at NOW is read back a minute later.
  const later = (...argv: string[]) => cli(['--local', store.path, ...argv], { now: NOW + 60_000 });
  const exporters = async () => json<{ exporter: string | null; state: string }[]>(await run('status', '--json')).map((row) => [row.exporter, row.state]);

  beforeAll(async () => {
    store = await temporaryDir();
    await writeLocalStore(store.path, {
      runs: [{ registryId: 'prod', at: NOW - 60_000 }],
      records: [
        record('prod', 'audit-link', 'MISSING', NOW - 2 * HOUR, gone),
        record('prod', 'orders-link', 'RUNNING', NOW - 10 * HOUR),
        record('prod', 'search-link', 'PAUSED', NOW - HOUR, { id: 'inc-search', openedAt: NOW - HOUR, cause: 'PAUSED: boom' }),
      ],
    });
  });
  afterAll(() => store.remove());

  it('removes a MISSING exporter: status no longer shows it or its incident', async () => {
    expect(await run('forget', '--registry', 'prod', '--exporter', 'audit-link', '--reason', 'deleted on purpose, CHG-1234')).toEqual({
      code: 0,
      stdout: 'Forgot exporter audit-link of registry prod: deleted on purpose, CHG-1234\n',
      stderr: '',
    });
    expect(await exporters()).toEqual([
      [null, 'OK'],
      ['orders-link', 'RUNNING'],
      ['search-link', 'PAUSED'],
    ]);
    expect(json<{ exporter: string }[]>(await run('incidents', '--open', '--json')).map((incident) => incident.exporter)).toEqual(['search-link']);
    // History records the end of the forgotten exporter's incident, so no view rebuilt from it shows it open.
    const incidents = json<{ exporter: string; open: boolean }[]>(await later('incidents', '--since', '30d', '--json'));
    expect(incidents.filter((incident) => incident.exporter === 'audit-link').map((incident) => incident.open)).toEqual([false]);
    // Stamped with the CLI's clock, not the wall clock.
    expect(json<{ type: string; at: string }[]>(await later('history', '--exporter', 'audit-link', '--json'))[0]).toMatchObject({ type: 'forgotten', at: new Date(NOW).toISOString() });
  });

  it('refuses, in one line, an exporter that is not MISSING, and one it does not know', async () => {
    expect(await run('forget', '--registry', 'prod', '--exporter', 'orders-link')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: exporter orders-link is RUNNING; forget only removes exporters that disappeared\n',
    });
    expect((await run('forget', '--registry', 'prod', '--exporter', 'search-link')).stderr).toBe(
      'error: exporter search-link is PAUSED; forget only removes exporters that disappeared\n',
    );
    for (const [registry, exporter] of [['prod', 'audit-link'], ['prd', 'orders-link']] as const) {
      expect(await run('forget', '--registry', registry, '--exporter', exporter)).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: exporter ${exporter} of registry ${registry} not found (in local store ${store.path}); \`status --registry ${registry}\` lists the known ones\n`,
      });
    }
    expect(await exporters()).toEqual([
      [null, 'OK'],
      ['orders-link', 'RUNNING'],
      ['search-link', 'PAUSED'],
    ]);
  });

  it('needs both the registry and the exporter: never a whole registry', async () => {
    const result = await run('forget', '--registry', 'prod');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: required option '--exporter <name>' not specified\n");
  });
});

describe('forgetExporter against dynalite', () => {
  let dynamo: EmbeddedDynamo;
  let store: StateStore;
  const LONG_NAME = `audit-${'x'.repeat(600)}`;

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
    for (const subject of [record('prod', 'audit-link', 'MISSING', NOW, gone), record('prod', LONG_NAME, 'MISSING', NOW), record('prod', 'orders-link', 'RUNNING', NOW)]) {
      await store.saveSubject(undefined, subject, [], 0, NOW);
    }
  });
  afterAll(() => dynamo.close());

  it('deletes a MISSING record only, and tells the other cases apart', async () => {
    const forget = (name: string) => forgetExporter(table(dynamo.client, LOCAL_TABLE_NAME), 'prod', name, NOW);
    expect(await forget('orders-link')).toBe('not-missing');
    expect(await forget('audit-link')).toBe('forgotten');
    expect(await forget('audit-link')).toBe('not-found');
    // Keyed by hash like every other write of a name over 512 bytes.
    expect(await forget(LONG_NAME)).toBe('forgotten');
    expect([...(await store.loadRegistry('prod')).exporters.keys()]).toEqual(['orders-link']);
  });

  it('records the end of the incident with the history retention of the store it is given', async () => {
    await store.saveSubject(undefined, record('staging', 'retired-link', 'MISSING', NOW, gone), [], 0, NOW);
    expect(await forgetExporter(table(dynamo.client, LOCAL_TABLE_NAME, 30), 'staging', 'retired-link', NOW)).toBe('forgotten');
    expect(await historyItems(dynamo.client, 'staging', 'retired-link')).toEqual([expect.objectContaining({ type: 'forgotten', at: NOW, expiresAt: NOW / 1000 + 30 * DAY_S })]);
  });
});

describe('forget against a local store keeps the end of the incident as long as the monitor keeps history', () => {
  let store: Awaited<ReturnType<typeof temporaryDir>>;

  beforeAll(async () => {
    store = await temporaryDir();
    await writeLocalStore(store.path, {
      runs: [{ registryId: 'prod', at: NOW - 60_000 }],
      records: [record('prod', 'audit-link', 'MISSING', NOW - 2 * HOUR, gone), record('prod', 'retired-link', 'MISSING', NOW - 2 * HOUR, { ...gone, id: 'inc-retired' })],
    });
  });
  afterAll(() => store.remove());

  it('as `npm start` keeps it (the configuration default), or as --history-retention-days says', async () => {
    expect((await cli(['--local', store.path, 'forget', '--registry', 'prod', '--exporter', 'audit-link'], { now: NOW })).code).toBe(0);
    expect((await cli(['--local', store.path, '--history-retention-days', '30', 'forget', '--registry', 'prod', '--exporter', 'retired-link'], { now: NOW })).code).toBe(0);
    const dynamo = await startEmbeddedDynamo({ path: store.path });
    try {
      expect(await historyItems(dynamo.client, 'prod', 'audit-link')).toEqual([
        expect.objectContaining({ type: 'forgotten', expiresAt: NOW / 1000 + REGISTRY_DEFAULTS.historyRetentionDays * DAY_S }),
      ]);
      expect(await historyItems(dynamo.client, 'prod', 'retired-link')).toEqual([expect.objectContaining({ type: 'forgotten', expiresAt: NOW / 1000 + 30 * DAY_S })]);
    } finally {
      await dynamo.close();
    }
  });
});

describe('forget against AWS', () => {
  // Mocked only here: a mock replaces `send` of every DynamoDB client, dynalite's included.
  let dynamodb: AwsClientStub<DynamoDBClient>;
  let cloudFormation: AwsClientStub<CloudFormationClient>;
  const aws = (...argv: string[]) => cli(['--region', 'eu-west-1', '--table', 'monitor-table', ...argv], { now: NOW });
  const refused = (item?: Record<string, unknown>) =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item && { Item: item as never }) });

  beforeAll(() => {
    dynamodb = mockClient(DynamoDBClient);
    cloudFormation = mockClient(CloudFormationClient);
  });
  beforeEach(() => {
    dynamodb.reset();
    cloudFormation.reset();
  });
  afterAll(() => {
    dynamodb.restore();
    cloudFormation.restore();
  });

  /** A MISSING record with an open incident is deleted; returns when the history item written for it expires. */
  async function forgottenItemExpiry(...argv: string[]): Promise<number> {
    dynamodb.on(DeleteItemCommand).resolves({ Attributes: marshall(record('prod', 'audit-link', 'MISSING', NOW - 2 * HOUR, gone)) });
    dynamodb.on(BatchWriteItemCommand).resolves({});
    const result = await cli(['--region', 'eu-west-1', ...argv, 'forget', '--registry', 'prod', '--exporter', 'audit-link'], { now: NOW });
    if (result.code !== 0) throw new Error(result.stderr);
    const writes = dynamodb.commandCalls(BatchWriteItemCommand).flatMap((call) => call.args[0].input.RequestItems?.['monitor-table'] ?? []);
    expect(writes.map((write) => unmarshall(write.PutRequest!.Item!))).toEqual([expect.objectContaining({ type: 'forgotten', at: NOW })]);
    return Number(writes[0]!.PutRequest!.Item!.expiresAt!.N);
  }

  const deployed = (outputs: Output[]) =>
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'SchemaExporterMonitor', Outputs: outputs, CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });

  it('keeps the end of the incident as long as the deployed monitor keeps history: the stack output HistoryRetentionDays', async () => {
    deployed([{ OutputKey: 'TableName', OutputValue: 'monitor-table' }, { OutputKey: 'HistoryRetentionDays', OutputValue: '30' }]);
    expect(await forgottenItemExpiry()).toBe(NOW / 1000 + 30 * DAY_S);
    expect(cloudFormation.calls()).toHaveLength(1);
  });

  it('with --table, which reads no stack, takes --history-retention-days, else the configuration default', async () => {
    expect(await forgottenItemExpiry('--table', 'monitor-table', '--history-retention-days', '30')).toBe(NOW / 1000 + 30 * DAY_S);
    dynamodb.reset();
    expect(await forgottenItemExpiry('--table', 'monitor-table')).toBe(NOW / 1000 + REGISTRY_DEFAULTS.historyRetentionDays * DAY_S);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('reads the retention from the function of a stack deployed before it had that output, and says how to go on when it cannot', async () => {
    const lambda = mockClient(LambdaClient);
    try {
      deployed([{ OutputKey: 'TableName', OutputValue: 'monitor-table' }, { OutputKey: 'FunctionName', OutputValue: 'monitor-fn' }]);
      const config = { registries: [{ id: 'prod', baseUrl: 'https://psrc-1.example.com', auth: { kind: 'none' } }], historyRetentionDays: 30 };
      lambda.on(GetFunctionConfigurationCommand).resolves({ Environment: { Variables: { MONITOR_CONFIG: JSON.stringify(config) } } });
      expect(await forgottenItemExpiry()).toBe(NOW / 1000 + 30 * DAY_S);

      dynamodb.reset();
      deployed([{ OutputKey: 'TableName', OutputValue: 'monitor-table' }]);
      expect((await cli(['--region', 'eu-west-1', 'forget', '--registry', 'prod', '--exporter', 'audit-link'], { now: NOW })).stderr).toBe(
        'error: cannot tell how long the monitor keeps history (stack "SchemaExporterMonitor" has no output "FunctionName"); pass --history-retention-days DAYS\n',
      );
    } finally {
      lambda.restore();
    }
    expect((await aws('--history-retention-days', '1.5', 'forget', '--registry', 'prod', '--exporter', 'audit-link')).stderr).toBe(
      'error: --history-retention-days: "1.5" is not a whole number of days, at least 1\n',
    );
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('is one conditional DeleteItem of the record, on the table of the deployment', async () => {
    dynamodb.on(DeleteItemCommand).resolves({});
    expect((await aws('forget', '--registry', 'prod', '--exporter', 'audit-link')).stdout).toBe('Forgot exporter audit-link of registry prod\n');
    expect(dynamodb.calls()).toHaveLength(1);
    expect(dynamodb.commandCalls(DeleteItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'monitor-table',
      Key: { pk: { S: 'REG#prod' }, sk: { S: 'EXP#audit-link' } },
      ConditionExpression: '#state = :missing',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':missing': { S: 'MISSING' } },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('takes the refused item DynamoDB returns as "not MISSING", with no further read for the decision', async () => {
    dynamodb.on(DeleteItemCommand).rejects(refused({ pk: { S: 'REG#prod' }, sk: { S: 'EXP#orders-link' }, state: { S: 'RUNNING' } }));
    expect(await forgetExporter(table(new DynamoDBClient({ region: 'eu-west-1' }), 'monitor-table'), 'prod', 'orders-link', NOW)).toBe('not-missing');
    expect(dynamodb.calls()).toHaveLength(1);
  });

  it('refuses with the state read after the refusal, and says when there is no record', async () => {
    dynamodb.on(DeleteItemCommand).rejects(refused({ state: { S: 'PAUSED' } }));
    dynamodb.on(QueryCommand).resolves({ Items: [{ pk: { S: 'REG#prod' }, sk: { S: 'EXP#orders-link' }, registryId: { S: 'prod' }, exporterName: { S: 'orders-link' }, state: { S: 'PAUSED' }, since: { N: String(NOW) }, signature: { S: '' }, version: { N: '1' } }] });
    expect((await aws('forget', '--registry', 'prod', '--exporter', 'orders-link')).stderr).toBe('error: exporter orders-link is PAUSED; forget only removes exporters that disappeared\n');

    dynamodb.reset();
    dynamodb.on(DeleteItemCommand).rejects(refused());
    dynamodb.on(QueryCommand).resolves({ Items: [], Count: 0 });
    expect((await aws('forget', '--registry', 'prod', '--exporter', 'typo-link')).stderr).toBe(
      'error: exporter typo-link of registry prod not found (in table "monitor-table" in eu-west-1); `status --registry prod` lists the known ones\n',
    );
  });

  it('says which permission is missing', async () => {
    dynamodb.on(DeleteItemCommand).rejects(Object.assign(new Error('User is not authorized to perform: dynamodb:DeleteItem on resource: monitor-table'), { name: 'AccessDeniedException' }));
    expect((await aws('forget', '--registry', 'prod', '--exporter', 'audit-link')).stderr).toBe(
      'error: AWS denied access: User is not authorized to perform: dynamodb:DeleteItem on resource: monitor-table\n',
    );
  });
});
