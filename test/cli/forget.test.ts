import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { forgetExporter } from '../../lambda/store/forget.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { StateStore } from '../../lambda/store/state-store.js';
import { cli, HOUR, json, record, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const gone = { id: 'inc-audit', openedAt: NOW - 2 * HOUR, cause: 'MISSING: MISSING' };

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
    expect(json<{ type: string; at: number }[]>(await later('history', '--exporter', 'audit-link', '--json'))[0]).toMatchObject({ type: 'forgotten', at: NOW });
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
    const forget = (name: string) => forgetExporter(dynamo.client, LOCAL_TABLE_NAME, 'prod', name, NOW);
    expect(await forget('orders-link')).toBe('not-missing');
    expect(await forget('audit-link')).toBe('forgotten');
    expect(await forget('audit-link')).toBe('not-found');
    // Keyed by hash like every other write of a name over 512 bytes.
    expect(await forget(LONG_NAME)).toBe('forgotten');
    expect([...(await store.loadRegistry('prod')).exporters.keys()]).toEqual(['orders-link']);
  });
});

describe('forget against AWS', () => {
  // Mocked only here: a mock replaces `send` of every DynamoDB client, dynalite's included.
  let dynamodb: AwsClientStub<DynamoDBClient>;
  const aws = (...argv: string[]) => cli(['--region', 'eu-west-1', '--table', 'monitor-table', ...argv], { now: NOW });
  const refused = (item?: Record<string, unknown>) =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item && { Item: item as never }) });

  beforeAll(() => (dynamodb = mockClient(DynamoDBClient)));
  beforeEach(() => dynamodb.reset());
  afterAll(() => dynamodb.restore());

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
    expect(await forgetExporter(new DynamoDBClient({ region: 'eu-west-1' }), 'monitor-table', 'prod', 'orders-link', NOW)).toBe('not-missing');
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
