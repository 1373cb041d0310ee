import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { parseMonitorConfig } from '../../lambda/config.js';
import { decodeConfigEnv } from '../../lambda/config-env.js';
import { ExporterMonitor } from '../../lib/exporter-monitor.js';
import { BASIC_REGISTRY, OAUTH_REGISTRY, TEAMS_CHANNEL, allStatements, asList, logicalId, monitorStack, roleStatements } from './fixtures.js';

/** The function role's statements that use actions of `service`. */
function functionStatements(template: Template, monitor: ExporterMonitor, service: string) {
  return roleStatements(template, logicalId(monitor.function.role!)).filter((statement) =>
    asList(statement.Action).some((action) => action.startsWith(`${service}:`)),
  );
}

describe('ExporterMonitor', () => {
  describe('with the defaults', () => {
    const { monitor, template } = monitorStack();
    const functionId = logicalId(monitor.function);
    const topicRef = { Ref: logicalId(monitor.topic) };

    test('runs the handler on Node.js 24, ARM, two runs at a time per registry, within the schedule interval', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        // one registry: its run, and the next one should the first be slow
        ReservedConcurrentExecutions: 2,
        MemorySize: 256,
        // the shorter of 1 minute - 10 s and 55 s
        Timeout: 50,
      });
    });

    test('gives each monitor its own metrics service, so two deployments never share a heartbeat', () => {
      expect(monitor.serviceName).toMatch(/^schema-exporter-monitor-.+/);
      const stack = new Stack(new App(), 'Other');
      const other = new ExporterMonitor(stack, 'Monitor', { registries: [BASIC_REGISTRY] });
      const second = new ExporterMonitor(stack, 'Second', { registries: [BASIC_REGISTRY] });
      expect(new Set([monitor.serviceName, other.serviceName, second.serviceName]).size).toBe(3);
    });

    test('passes the validated configuration and the resource names in the environment', () => {
      const config = new Capture();
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            MONITOR_CONFIG: config,
            TABLE_NAME: { Ref: logicalId(monitor.table) },
            TOPIC_ARN: topicRef,
            POWERTOOLS_SERVICE_NAME: monitor.serviceName,
            POWERTOOLS_METRICS_NAMESPACE: 'SchemaExporterMonitor',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
      // the function parses it with the same parser and must arrive at the same configuration
      expect(parseMonitorConfig(config.asString())).toEqual(parseMonitorConfig({ registries: [BASIC_REGISTRY], historyRetentionDays: 90 }));
    });

    test('logs to its own log group, kept one month, and may write to no other', () => {
      const logGroup = new Capture();
      template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroup } } });
      template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
      expect(functionStatements(template, monitor, 'logs')).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup.asString(), 'Arn'] } },
      ]);
      // no AWSLambdaBasicExecutionRole, which may write to every log group
      expect(template.toJSON().Resources[logicalId(monitor.function.role!)].Properties.ManagedPolicyArns).toBeUndefined();
    });

    test('does not retry failed runs and sends them to the failure queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(monitor.invocationFailureQueue), 'Arn'] } } },
      });
    });

    test.each(['invocationFailureQueue', 'scheduleDeadLetterQueue'] as const)('the %s is encrypted, TLS-only and keeps messages 14 days', (name) => {
      const queueId = logicalId(monitor[name]);
      expect(template.toJSON().Resources[queueId].Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: [Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
        },
      });
    });

    test('is run every minute by EventBridge Scheduler, with retries and a dead-letter queue', () => {
      expect([...monitor.schedules.keys()]).toEqual(['prod']);
      const [aliasId] = Object.keys(template.findResources('AWS::Lambda::Alias', { Properties: { Name: 'live', FunctionName: { Ref: functionId } } }));
      const deadLetterQueueArn = { 'Fn::GetAtt': [logicalId(monitor.scheduleDeadLetterQueue), 'Arn'] };
      const role = new Capture();
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          // the alias of the current version, which the async settings apply to
          Arn: { Ref: aliasId },
          // the function reads this registry alone
          Input: JSON.stringify({ registryId: 'prod' }),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: deadLetterQueueArn },
          RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
        },
      });
      // exactly the alias, not `function:*`
      expect(roleStatements(template, role.asString())).toEqual([
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { Ref: aliasId } },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetterQueueArn },
      ]);
    });

    test('keeps state in an on-demand, encrypted table with PITR, TTL and the history index, retained on delete', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'gsi1pk', AttributeType: 'S' },
            { AttributeName: 'gsi1sk', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          GlobalSecondaryIndexes: [
            {
              IndexName: 'history-by-day',
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
        },
      });
    });

    test('the function may make the DynamoDB calls of lambda/store, on the table only', () => {
      expect(functionStatements(template, monitor, 'dynamodb')).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: { 'Fn::GetAtt': [logicalId(monitor.table), 'Arn'] },
        },
      ]);
    });

    test('publishes to a TLS-only topic that CloudWatch may publish to for these alarms only', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef],
        PolicyDocument: {
          Statement: [
            { Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topicRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            {
              Sid: 'AllowThisMonitorsAlarms',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topicRef,
              Condition: { ArnEquals: { 'aws:SourceArn': monitor.alarms.map((alarm) => ({ 'Fn::GetAtt': [logicalId(alarm), 'Arn'] })) } },
            },
          ],
        },
      });
      expect(functionStatements(template, monitor, 'sns')).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: topicRef }]);
    });

    test('reads exactly the registry secret', () => {
      expect(functionStatements(template, monitor, 'secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:schema-exporter-monitor/prod-??????']],
          },
        },
      ]);
    });

    test('creates no chat channel and no subscription', () => {
      template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
      template.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      expect(monitor.slackChannel).toBeUndefined();
      expect(monitor.teamsChannel).toBeUndefined();
    });
  });

  test.each([
    ['the defaults', {}],
    [
      'Slack, Teams, emails and OAuth',
      { registries: [BASIC_REGISTRY, OAUTH_REGISTRY], notificationEmails: ['oncall@example.com'], slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' }, teams: TEAMS_CHANNEL },
    ],
  ])('with %s, no policy allows a "*" action or a "*" resource', (_, props) => {
    const allows = allStatements(monitorStack(props).template).filter((statement) => statement.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(5);
    for (const statement of allows) {
      expect(asList(statement.Action).filter((action) => action.includes('*'))).toEqual([]);
      expect(JSON.stringify(statement.Resource ?? null)).not.toContain('*');
    }
  });

  test('fans out: one schedule per registry with exporters, whose input names it, and two concurrent runs reserved for each', () => {
    const { monitor, template } = monitorStack({
      registries: [BASIC_REGISTRY, OAUTH_REGISTRY, { id: 'target', baseUrl: 'https://psrc-22222.eu-west-1.aws.confluent.cloud', exporters: 'none' }],
    });
    // `target` is only read as a destination: no schedule of its own
    expect([...monitor.schedules.keys()]).toEqual(['prod', 'dr']);
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((schedule) => schedule.Properties.Target.Input);
    expect(inputs).toEqual([JSON.stringify({ registryId: 'prod' }), JSON.stringify({ registryId: 'dr' })]);
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 4 });
  });

  test('fits 60 registries in the 4 KB of the function environment, compressed, as the function and the CLI read it', () => {
    const registries = Array.from({ length: 60 }, (_, i) => ({
      id: `cluster-${i}`,
      baseUrl: `https://psrc-${String(10_000 + i * 7919).padStart(5, '0')}.eu-central-1.aws.confluent.cloud`,
      auth: { kind: 'basic' as const, secretId: `schema-exporter-monitor/cluster-${i}` },
    }));
    const { monitor, template } = monitorStack({ registries });
    expect(monitor.schedules.size).toBe(60);
    const variables = Object.values(template.findResources('AWS::Lambda::Function'))[0]!.Properties.Environment.Variables;
    expect(variables.MONITOR_CONFIG).toMatch(/^gzip\+base64:/);
    expect(JSON.stringify(variables).length).toBeLessThan(4096);
    expect(parseMonitorConfig(decodeConfigEnv(variables.MONITOR_CONFIG)).registries.map((registry) => registry.id)).toEqual(registries.map((registry) => registry.id));
  });

  test('a longer schedule stretches the default timeout, the event ages and the heartbeat', () => {
    const { template } = monitorStack({ schedule: Duration.minutes(5) });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 55 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: 300 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('has not completed a run'),
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'invocations', MetricStat: Match.objectLike({ Period: 900 }) })]),
      TreatMissingData: 'breaching',
    });
  });

  test('applies the sizing, retention and removal props', () => {
    const { template } = monitorStack({
      functionTimeout: Duration.seconds(30),
      memorySize: 512,
      historyRetention: Duration.days(30),
      logRetention: RetentionDays.ONE_WEEK,
      tableRemovalPolicy: RemovalPolicy.DESTROY,
    });
    const config = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      MemorySize: 512,
      Environment: { Variables: Match.objectLike({ MONITOR_CONFIG: config }) },
    });
    expect(JSON.parse(config.asString())).toMatchObject({ historyRetentionDays: 30 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 24_000 });
  });

  test('reads exactly the secret of each authenticating registry: by name, complete ARN or partial ARN', () => {
    // A partial ARN whose name ends like a complete ARN's random suffix ("-apikey").
    const partialArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:schema-exporter-monitor/lab-apikey';
    const { monitor, template } = monitorStack({
      registries: [
        BASIC_REGISTRY,
        OAUTH_REGISTRY,
        { id: 'lab', baseUrl: 'https://registry.lab.example.com', auth: { kind: 'basic', secretId: partialArn } },
        { id: 'open', baseUrl: 'http://localhost:8081', allowInsecureHttp: true },
      ],
    });
    // in every policy of the template, not only the function's
    const secretStatements = allStatements(template).filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'));
    expect(secretStatements).toEqual(functionStatements(template, monitor, 'secretsmanager'));
    expect(secretStatements).toHaveLength(1);
    const resources = asList(secretStatements[0].Resource);
    // An ARN is granted as given and with the random suffix, since its text cannot say which it is.
    expect(resources).toHaveLength(5);
    expect(resources).toEqual(
      expect.arrayContaining([
        { 'Fn::Join': ['', expect.arrayContaining([':secret:schema-exporter-monitor/prod-??????'])] },
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:schema-exporter-monitor/dr-AbC123',
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:schema-exporter-monitor/dr-AbC123-??????',
        partialArn,
        `${partialArn}-??????`,
      ]),
    );
  });

  test('with auto-resume on its own key, may read that secret too, and nothing beyond secrets is added', () => {
    const { monitor, template } = monitorStack({
      registries: [{ ...BASIC_REGISTRY, autoResume: { enabled: true, auth: { kind: 'basic', secretId: 'schema-exporter-monitor/prod-resume' } } }],
    });
    const resources = asList(functionStatements(template, monitor, 'secretsmanager')[0].Resource);
    expect(resources).toEqual([
      { 'Fn::Join': ['', expect.arrayContaining([':secret:schema-exporter-monitor/prod-??????'])] },
      { 'Fn::Join': ['', expect.arrayContaining([':secret:schema-exporter-monitor/prod-resume-??????'])] },
    ]);
    // The resume is an HTTPS call to the registry: no AWS permission beyond reading its key.
    const actions = allStatements(template).flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => /^(?:secretsmanager|kms):/.test(String(action)) && !/Describe|GetSecretValue|Decrypt|GenerateDataKey/.test(String(action)))).toEqual([]);
  });

  test("may decrypt each secret's customer-managed KMS key, only through Secrets Manager in the stack's region", () => {
    const prodKey = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const drKey = 'arn:aws:kms:eu-central-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    const { monitor, template } = monitorStack({
      registries: [
        { ...BASIC_REGISTRY, auth: { ...BASIC_REGISTRY.auth!, secretKmsKeyArn: prodKey } },
        { ...OAUTH_REGISTRY, auth: { ...OAUTH_REGISTRY.auth!, secretKmsKeyArn: drKey } },
        // The same key for a second secret is granted once.
        { id: 'lab', baseUrl: 'https://registry.lab.example.com', auth: { kind: 'basic', secretId: 'lab/apikey', secretKmsKeyArn: prodKey } },
      ],
    });
    expect(functionStatements(template, monitor, 'kms')).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: [prodKey, drKey],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
    // Without the setting, no KMS permission at all: the AWS managed key needs none.
    const defaults = monitorStack();
    expect(functionStatements(defaults.template, defaults.monitor, 'kms')).toEqual([]);
  });

  test('subscribes each email address', () => {
    const { template } = monitorStack({ notificationEmails: ['oncall@example.com', 'platform@example.com'] });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const endpoint of ['oncall@example.com', 'platform@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: endpoint, TopicArn: { Ref: Match.stringLikeRegexp('AlertTopic') } });
    }
  });

  test('sends alarms to a separate operations topic and keeps CloudWatch out of the alert topic', () => {
    const { template } = monitorStack((stack) => ({ operationsTopic: new Topic(stack, 'OnCall') }));
    const onCall = { Ref: Match.stringLikeRegexp('^OnCall') };
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [onCall], OKActions: [onCall] });
    expect(JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'))).not.toContain('cloudwatch.amazonaws.com');
  });

  test('publishes to an existing topic instead of creating one', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:platform-alerts';
    const { monitor, template } = monitorStack((stack) => ({
      existingTopic: Topic.fromTopicArn(stack, 'PlatformAlerts', topicArn),
      notificationEmails: ['oncall@example.com'],
    }));
    expect(monitor.topic.topicArn).toBe(topicArn);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TOPIC_ARN: topicArn }) } });
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: topicArn, Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn], OKActions: [topicArn] });
  });

  describe('with a customer-managed topic key', () => {
    const { monitor, template } = monitorStack((stack) => ({ topicEncryptionKey: new Key(stack, 'TopicKey', { enableKeyRotation: true }) }));
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };

    test('encrypts the topic with it', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    });

    test('lets the function use it to publish, with exactly the actions SNS needs', () => {
      expect(functionStatements(template, monitor, 'kms')).toEqual([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn }]);
    });

    test('lets CloudWatch use it, so the alarms can publish to the encrypted topic', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            { Sid: 'AllowCloudWatchAlarmsToPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
          ]),
        },
      });
    });
  });

  test('warns that an imported topic key must let CloudWatch publish', () => {
    const { stack } = monitorStack((scope) => ({
      topicEncryptionKey: Key.fromKeyArn(scope, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    }));
    Annotations.fromStack(stack).hasWarning('/Test/Monitor', Match.stringLikeRegexp('allow cloudwatch.amazonaws.com'));
  });

  /** The chat channel's role has no permissions, and its guardrail allows reading exactly the monitor's alarms. */
  function expectReadOnly(template: Template, monitor: ExporterMonitor, roleId: string, guardrailId: string) {
    const channelRole = template.toJSON().Resources[roleId];
    expect(channelRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'chatbot.amazonaws.com' } })]);
    expect(channelRole.Properties.Policies).toBeUndefined();
    expect(channelRole.Properties.ManagedPolicyArns).toBeUndefined();
    expect(roleStatements(template, roleId)).toEqual([]);
    const guardrail = template.toJSON().Resources[guardrailId];
    expect(guardrail.Type).toBe('AWS::IAM::ManagedPolicy');
    const [statement, ...more] = guardrail.Properties.PolicyDocument.Statement;
    expect(more).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms' });
    expect(statement.Resource).toHaveLength(monitor.alarms.length);
    expect(statement.Resource).toEqual(expect.arrayContaining(monitor.alarms.map((alarm) => ({ 'Fn::GetAtt': [logicalId(alarm), 'Arn'] }))));
  }

  describe('with a Slack channel', () => {
    const { monitor, template } = monitorStack({ slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' } });
    const role = new Capture();
    const guardrail = new Capture();

    test('connects AWS Chatbot to the alert topic', () => {
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: 'T012ABCDE',
        SlackChannelId: 'C012ABCDE',
        SnsTopicArns: [{ Ref: logicalId(monitor.topic) }],
        LoggingLevel: 'ERROR',
        GuardrailPolicies: [{ Ref: guardrail }],
        IamRoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
      });
      expect(monitor.slackChannel).toBeDefined();
    });

    test('the channel role has no permissions, and the guardrail caps it at reading these alarms', () => {
      expectReadOnly(template, monitor, role.asString(), guardrail.asString());
    });
  });

  describe('with a Microsoft Teams channel', () => {
    const { monitor, template } = monitorStack({ slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' }, teams: TEAMS_CHANNEL });
    const role = new Capture();
    const guardrail = new Capture();

    test('connects AWS Chatbot to the same alert topic as Slack: the same messages', () => {
      template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
        TeamId: TEAMS_CHANNEL.teamId,
        TeamsChannelId: TEAMS_CHANNEL.channelId,
        TeamsTenantId: TEAMS_CHANNEL.tenantId,
        SnsTopicArns: [{ Ref: logicalId(monitor.topic) }],
        LoggingLevel: 'ERROR',
        GuardrailPolicies: [{ Ref: guardrail }],
        IamRoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
      });
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { SnsTopicArns: [{ Ref: logicalId(monitor.topic) }] });
      expect(monitor.teamsChannel).toBeDefined();
    });

    test('held to the read-only guardrail of the Slack channel: a role without permissions, reading these alarms at most', () => {
      expectReadOnly(template, monitor, role.asString(), guardrail.asString());
    });

    test('each channel has a configuration name of its own (CloudFormation requires them unique)', () => {
      const names = [
        ...Object.values(template.findResources('AWS::Chatbot::SlackChannelConfiguration')),
        ...Object.values(template.findResources('AWS::Chatbot::MicrosoftTeamsChannelConfiguration')),
      ].map((resource) => resource.Properties.ConfigurationName);
      expect(new Set(names).size).toBe(2);
    });
  });
});
