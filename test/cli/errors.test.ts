import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, QueryCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_STACK } from '../../cli/target.js';
import { registryPk, RUN_SK } from '../../lambda/store/keys.js';
import { cli, json, temporaryDir, writeLocalStore } from './support/harness.js';

/** One line on stderr, nothing on stdout, exit code 1. */
function expectOneLineError(result: { code: number; stdout: string; stderr: string }, message: string | RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  expect(result.stderr.trimEnd()).toMatch(typeof message === 'string' ? new RegExp(`^error: ${escapeRegExp(message)}$`) : message);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('usage errors', () => {
  it('rejects a bad time expression before touching any store', async () => {
    expectOneLineError(
      await cli(['history', '--since', 'yesterday']),
      '--since: cannot read "yesterday" as a time; use a duration like 30m, 12h, 7d, 2w, "now", or an ISO time like 2026-11-26T09:00Z',
    );
    expectOneLineError(await cli(['report', '--until', '2026-13-45']), /^error: --until: cannot read "2026-13-45" as a time/);
    expectOneLineError(await cli(['incidents', '--since', '1d', '--until', '2d']), /^error: --since \(.*\) must be before --until \(.*\)$/);
  });

  it('rejects an unknown event type, format or option', async () => {
    expectOneLineError(await cli(['history', '--type', 'paused']), /^error: --type: unknown event type "paused"; one of state-changed, .*monitor-recovered, forgotten$/);
    expectOneLineError(await cli(['status', '--format', 'xml']), /^error: option '--format <format>' argument 'xml' is invalid\. Allowed choices are table, json, csv\.$/);
    expectOneLineError(await cli(['--local', '--region', 'eu-west-1', 'status']), "option '--local [dir]' cannot be used with option '--region <region>'");
    const unknown = await cli(['stauts']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown command 'stauts'/);
  });

  it('prints help on stdout with exit code 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['status', 'history', 'incidents', 'report', 'silence', 'unsilence', 'forget', 'check']) expect(help.stdout).toContain(command);
  });
});

describe('the local store', () => {
  let dir: Awaited<ReturnType<typeof temporaryDir>>;
  beforeAll(async () => (dir = await temporaryDir()));
  afterAll(() => dir.remove());

  it('says when there is no store in the folder', async () => {
    const missing = join(dir.path, 'nothing-here');
    expectOneLineError(await cli(['--local', missing, 'status']), `no local store in ${missing}: \`npm start -- --url URL\` creates one there (or pass --local DIR)`);
  });

  it('reads the default folder when a command follows --local, as the help shows', async () => {
    // Whether the default folder holds a store depends on this checkout; "status" is never taken for the folder.
    const result = await cli(['--local', 'status']);
    expect(result.stderr).not.toMatch(/no local store in status|unknown command/);
    expect(result.stdout + result.stderr).toMatch(/REGISTRY|no local store in \.local-state/);
  });

  it('blames a report file that cannot be written on the file, not on the store', async () => {
    const path = join(dir.path, 'with-store');
    await writeLocalStore(path, { runs: [{ registryId: 'prod', at: Date.UTC(2026, 10, 26) }] });
    const result = await cli(['--local', path, 'report', '--html', join(dir.path, 'no-such-folder', 'x.html')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd()).toBe(`error: cannot write --html ${join(dir.path, 'no-such-folder', 'x.html')}: its folder does not exist`);
  });
});

describe('AWS', () => {
  // Mocked only while these tests run: a mock replaces `send` of every client, dynalite's included.
  let cloudFormation: AwsClientStub<CloudFormationClient>;
  let lambda: AwsClientStub<LambdaClient>;
  let dynamodb: AwsClientStub<DynamoDBClient>;
  const aws = (...argv: string[]) => cli(['--region', 'eu-west-1', ...argv]);
  const outputs = [
    { OutputKey: 'TableName', OutputValue: 'monitor-table' },
    { OutputKey: 'HistoryRetentionDays', OutputValue: '90' },
    { OutputKey: 'FunctionName', OutputValue: 'monitor-function' },
  ];

  beforeAll(() => {
    cloudFormation = mockClient(CloudFormationClient);
    lambda = mockClient(LambdaClient);
    dynamodb = mockClient(DynamoDBClient);
  });
  beforeEach(() => {
    cloudFormation.reset();
    lambda.reset();
    dynamodb.reset();
  });
  afterAll(() => {
    cloudFormation.restore();
    lambda.restore();
    dynamodb.restore();
  });

  it('finds the table in the stack outputs and the registries in the function configuration', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'SchemaExporterMonitor' }).resolves({ Stacks: [{ StackName: 'SchemaExporterMonitor', Outputs: outputs, CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });
    const config = { registries: [{ id: 'prod', baseUrl: 'https://psrc-1.example.com' }, { id: 'staging', baseUrl: 'https://psrc-2.example.com' }] };
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'monitor-function' }).resolves({ Environment: { Variables: { MONITOR_CONFIG: JSON.stringify(config) } } });
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    const rows = json<{ registry: string; exporter: string | null; state: string }[]>(await aws('status', '--json'));
    expect(rows).toEqual([expect.objectContaining({ registry: 'prod', exporter: null, state: 'NOT CHECKED' }), expect.objectContaining({ registry: 'staging', exporter: null, state: 'NOT CHECKED' })]);
    const queries = dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((input) => [input.TableName, input.ExpressionAttributeValues?.[':pk']?.S])).toEqual([
      ['monitor-table', 'REG#prod'],
      ['monitor-table', 'REG#staging'],
    ]);
  });

  it('looks for the stack under the name the CDK app deploys by default', async () => {
    // bin/app.ts: `stackName` context, else this default; the CLI must look for the same stack.
    const deployed = /tryGetContext\('stackName'\) \?\? '([^']+)'/.exec(readFileSync(join(process.cwd(), 'bin', 'app.ts'), 'utf8'))?.[1];
    expect(deployed).toBe('SchemaExporterMonitor');
    expect(DEFAULT_STACK).toBe(deployed);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: deployed, Outputs: outputs, CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    expect((await aws('history', '--json')).code).toBe(0);
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName)).toEqual([deployed]);
    expect(dynamodb.commandCalls(QueryCommand)[0]!.args[0].input.TableName).toBe('monitor-table');
  });

  it('needs neither the stack nor the function with --table and --registry', async () => {
    // The registry's run item: it has been checked.
    dynamodb.on(QueryCommand).resolves({ Items: [marshall({ pk: registryPk('prod'), sk: RUN_SK, kind: 'run', summary: { at: 1, exportersChecked: 0, requests: 0, failures: 0, skipped: 0 } })] });
    expect((await aws('--table', 'my-table', 'status', '--registry', 'prod')).code).toBe(0);
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('says when the stack does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }));
    expectOneLineError(await aws('--stack', 'Nope', 'history'), 'stack "Nope" not found in eu-west-1: pass --stack NAME, or --table NAME');
  });

  it('says when the table does not exist', async () => {
    dynamodb.on(QueryCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    expectOneLineError(await aws('--table', 'typo', 'history'), 'table "typo" in eu-west-1 was not found: check --table, --stack and --region');
  });

  it('says when the registries cannot be listed, and how to name them instead', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'SchemaExporterMonitor', Outputs: outputs, CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' }] });
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error('User is not authorized to perform: lambda:GetFunctionConfiguration'), { name: 'AccessDeniedException' }));
    expectOneLineError(
      await aws('status'),
      'cannot list the watched registries (AWS denied access: User is not authorized to perform: lambda:GetFunctionConfiguration); pass --registry ID',
    );
  });

  it('says when there are no credentials', async () => {
    dynamodb.on(QueryCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expectOneLineError(
      await aws('--table', 'monitor-table', 'history'),
      'no AWS credentials found: set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID, or sign in with `aws sso login`',
    );
  });
});
