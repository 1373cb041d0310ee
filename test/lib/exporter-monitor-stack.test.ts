import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import * as sns from '@aws-sdk/client-sns';
import { Duration } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { type ExporterMonitorSettings, ExporterMonitorStack } from '../../lib/exporter-monitor-stack.js';
import type { RegistryConfigInput } from '../../lib/exporter-monitor-props.js';
import { FUNCTION_BUNDLE_DIR } from '../../lib/function-code.js';
import { BASIC_REGISTRY, OAUTH_REGISTRY, TEAMS_CHANNEL, asList, createApp, logicalId, roleStatements } from './fixtures.js';

function stack(monitor: Partial<ExporterMonitorSettings> = {}, app = createApp()) {
  return new ExporterMonitorStack(app, 'SchemaExporterMonitor', { monitor: { registries: [BASIC_REGISTRY], ...monitor } });
}

/** The template with what changes on every handler edit (asset hashes, the version's logical id) masked. */
function stableTemplate(template: Template): unknown {
  const text = JSON.stringify(template.toJSON(), null, 2)
    .replace(/[0-9a-f]{64}/g, '[ASSET HASH]')
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1[CODE HASH]');
  return JSON.parse(text);
}

describe('ExporterMonitorStack', () => {
  test('outputs what the AWS CLI needs', () => {
    const monitorStack = stack();
    const template = Template.fromStack(monitorStack);
    const { monitor } = monitorStack;
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      ['FunctionName', 'HistoryRetentionDays', 'InvocationFailureQueueUrl', 'ScheduleDeadLetterQueueUrl', 'StackName', 'TableName', 'TopicArn'],
    );
    expect(outputs).toMatchObject({
      StackName: { Value: 'SchemaExporterMonitor' },
      TableName: { Value: { Ref: logicalId(monitor.table) } },
      HistoryRetentionDays: { Value: '90' },
      TopicArn: { Value: { Ref: logicalId(monitor.topic) } },
      FunctionName: { Value: { Ref: logicalId(monitor.function) } },
      InvocationFailureQueueUrl: { Value: { Ref: logicalId(monitor.invocationFailureQueue) } },
      ScheduleDeadLetterQueueUrl: { Value: { Ref: logicalId(monitor.scheduleDeadLetterQueue) } },
    });
  });

  test('outputs the history retention the function is configured with, for what the CLI adds to history', () => {
    const template = Template.fromStack(stack({ historyRetention: Duration.days(30) }));
    const config = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MONITOR_CONFIG: config }) } });
    expect(JSON.parse(config.asString())).toMatchObject({ historyRetentionDays: 30 });
    expect(template.toJSON().Outputs.HistoryRetentionDays).toMatchObject({ Value: '30' });
  });

  test('imports the existing topics and key it is given by ARN', () => {
    const alerts = 'arn:aws:sns:eu-west-1:123456789012:platform-alerts';
    const onCall = 'arn:aws:sns:eu-west-1:123456789012:on-call';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const template = Template.fromStack(stack({ existingTopicArn: alerts, operationsTopicArn: onCall, topicEncryptionKeyArn: key }));
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TOPIC_ARN: alerts }) } });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [onCall] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key }]) },
    });
  });

  describe('fails synth on invalid configuration, naming the field', () => {
    const registry = (changes: Record<string, unknown>) => ({ ...BASIC_REGISTRY, ...changes }) as RegistryConfigInput;
    test.each<[string, Partial<ExporterMonitorSettings>, RegExp]>([
      ['a non-https URL', { registries: [registry({ baseUrl: 'http://registry.example.com' })] }, /^registries\[0\]\.baseUrl: must use https/],
      ['a URL that is not one', { registries: [registry({ baseUrl: 'registry.example.com' })] }, /^registries\[0\]\.baseUrl: is not a valid URL/],
      ['an unknown auth kind', { registries: [registry({ auth: { kind: 'mtls' } })] }, /^registries\[0\]\.auth\.kind: must be one of none, basic, oauth/],
      ['a missing secret', { registries: [registry({ auth: { kind: 'basic' } })] }, /^registries\[0\]\.auth\.secretId: is required/],
      ['an oauth registry without a secret', { registries: [BASIC_REGISTRY, { ...OAUTH_REGISTRY, auth: { ...OAUTH_REGISTRY.auth!, secretId: undefined } }] }, /^registries\[1\]\.auth\.secretId/],
      ['a secret that is neither a name nor a secret ARN', { registries: [registry({ auth: { kind: 'basic', secretId: 'arn:aws:ssm:eu-west-1:123456789012:parameter/x' } })] }, /^registries\[0\]\.auth\.secretId: must be a Secrets Manager secret name or ARN/],
      [
        'a secret key that is not a KMS key ARN',
        { registries: [registry({ auth: { kind: 'basic', secretId: 'sr/prod', secretKmsKeyArn: 'alias/aws/secretsmanager' } })] },
        /^registries\[0\]\.auth\.secretKmsKeyArn: must be the ARN of a KMS key/,
      ],
      ['duplicate registry ids', { registries: [BASIC_REGISTRY, registry({ baseUrl: 'https://other.example.com' })] }, /^registries\[1\]\.id: duplicates the id "prod"/],
      ['no registry', { registries: [] }, /^registries: must list at least one registry/],
      ['a schedule under 1 minute', { schedule: Duration.seconds(30) }, /^schedule: must be a whole number of minutes from 1 minute to 1 hour, got 30 seconds/],
      ['a schedule in fractions of a minute', { schedule: Duration.seconds(90) }, /^schedule: /],
      ['a schedule over 1 hour', { schedule: Duration.hours(2) }, /^schedule: /],
      ['a timeout as long as the schedule', { functionTimeout: Duration.minutes(1) }, /^functionTimeout: must be shorter than the schedule \(1 minute\)/],
      ['a timeout longer than Lambda allows', { schedule: Duration.minutes(30), functionTimeout: Duration.minutes(20) }, /^functionTimeout: must be whole seconds from 1 second to 15 minutes/],
      [
        'a request timeout that leaves no time to read',
        { registries: [registry({ requestTimeoutMs: 40_000 })] },
        /^registries\[0\]\.requestTimeoutMs: 40000 ms does not fit a run: with a 50 seconds function timeout/,
      ],
      ['a function timeout too short for one request', { functionTimeout: Duration.seconds(8) }, /^registries\[0\]\.requestTimeoutMs: 5000 ms does not fit a run/],
      ['a memory size Lambda does not offer', { memorySize: 64 }, /^memorySize: must be a whole number from 128 to 10240/],
      ['a retention in fractions of a day', { historyRetention: Duration.hours(36) }, /^historyRetention: must be whole days/],
      ['an address that is not one', { notificationEmails: ['oncall'] }, /^notificationEmails\[0\]: is not an email address/],
      ['the same address twice', { notificationEmails: ['a@example.com', 'a@example.com'] }, /^notificationEmails\[1\]: duplicates/],
      ['a Slack workspace that is not an id', { slack: { workspaceId: 'my-workspace', channelId: 'C012ABCDE' } }, /^slack\.workspaceId: /],
      ['a Slack channel that is not an id', { slack: { workspaceId: 'T012ABCDE', channelId: '#alerts' } }, /^slack\.channelId: /],
      ['a Teams team that is not a GUID', { teams: { ...TEAMS_CHANNEL, teamId: 'Platform' } }, /^teams\.teamId: must be the team id from the AWS Chatbot console/],
      ['a Teams tenant that is not a GUID', { teams: { ...TEAMS_CHANNEL, tenantId: 'example.onmicrosoft.com' } }, /^teams\.tenantId: must be the tenant id/],
      ['a Teams channel id not URL-encoded', { teams: { ...TEAMS_CHANNEL, channelId: '19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2' } }, /^teams\.channelId: must be the channel id as URL-encoded/],
      [
        'more than fits in the environment, even compressed',
        // names that do not compress: a deterministic scramble of their index
        { registries: [registry({ exporters: Array.from({ length: 600 }, (_, i) => `x${((i * 2654435761) % 2 ** 32).toString(36)}`) })] },
        /^registries: take \d+ bytes as JSON, \d+ compressed, more than the 3072/,
      ],
    ])('%s', (_, monitor, error) => {
      expect(() => stack(monitor)).toThrow(error);
    });

    test('but accepts http for a registry marked as insecure', () => {
      expect(() => stack({ registries: [registry({ baseUrl: 'http://localhost:8081', auth: { kind: 'none' }, allowInsecureHttp: true })] })).not.toThrow();
    });
  });

  test('matches the snapshot', () => {
    const template = Template.fromStack(stack({ notificationEmails: ['oncall@example.com'], slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' } }));
    expect(stableTemplate(template)).toMatchSnapshot();
  });

  describe('the bundled function', () => {
    const app = createApp();
    const bundledStack = stack({}, app);
    const { monitor } = bundledStack;
    const bundle = path.resolve(app.outdir, (monitor.function.node.findChild('Code') as Asset).assetPath);
    const code = readFileSync(path.join(bundle, 'index.mjs'), 'utf8');

    test('is the bundle the package ships: minified ESM with a source map', () => {
      expect(readdirSync(bundle).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      expect(code).toBe(readFileSync(path.join(FUNCTION_BUNDLE_DIR, 'index.mjs'), 'utf8'));
      expect(code.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // minified: a few very long lines (template literals keep some line breaks)
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(JSON.parse(readFileSync(path.join(bundle, 'index.mjs.map'), 'utf8')).sourcesContent).toBeUndefined();
    });

    test('may make every AWS call it contains', () => {
      // each SDK v3 command class is `command(endpoint, middleware, "Operation", schema)`; only used ones are bundled
      const bundled = new Set([...code.matchAll(/class extends [\w$]+\([\w$]+,[\w$]+,"(\w+)",[\w$]+\)\{\}/g)].map((match) => match[1]));
      const called = (client: object, exclude: string[] = []) =>
        Object.keys(client)
          .filter((name) => name.endsWith('Command'))
          .map((name) => name.slice(0, -'Command'.length))
          .filter((operation) => bundled.has(operation) && !exclude.includes(operation));
      const needed = [
        // DescribeEndpoints serves endpoint discovery, which DynamoDB clients do not use unless enabled
        ...called(dynamodb, ['DescribeEndpoints']).map((operation) => `dynamodb:${operation}`),
        // PublishBatch is authorized as sns:Publish
        ...called(sns).map(() => 'sns:Publish'),
        ...called(secretsManager).map((operation) => `secretsmanager:${operation}`),
      ];
      expect(needed).toEqual(expect.arrayContaining(['dynamodb:Query', 'sns:Publish', 'secretsmanager:GetSecretValue']));
      const granted = roleStatements(Template.fromStack(bundledStack), logicalId(monitor.function.role!)).flatMap((statement) => asList(statement.Action));
      expect(granted).toEqual(expect.arrayContaining(needed));
    });
  });
});
