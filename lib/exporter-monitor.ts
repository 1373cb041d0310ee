import { Annotations, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnMicrosoftTeamsChannelConfiguration, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Alias, Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { CONFIG_ENV } from '../lambda/config-env.js';
import { SCHEDULED_REGISTRY_FIELD } from '../lambda/scheduled-run.js';
import { HISTORY_BY_DAY_INDEX } from '../lambda/store/keys.js';
import { DEFAULT_SERVICE_NAME, METRICS_NAMESPACE } from '../lambda/telemetry.js';
import { connectSlack, connectTeams } from './chat-channels.js';
import type { ExporterMonitorProps } from './exporter-monitor-props.js';
import { FUNCTION_HANDLER, functionCode } from './function-code.js';
import { createMonitorAlarms } from './monitor-alarms.js';
import { createMonitorDashboard } from './monitor-dashboard.js';
import { MonitorMetricFactory } from './monitor-metrics.js';
import { type RegistrySecret, type ResolvedMonitorProps, resolveMonitorProps } from './resolve-monitor-props.js';

/** Concurrent runs reserved per registry: its run, and the next one should it start before the first ends. */
const RUNS_PER_REGISTRY = 2;

/**
 * Lets `role` read exactly one existing secret, given by name (granted as `name-??????`) or by ARN.
 * Whether an ARN is complete cannot be told from its text (a partial ARN of "team/prod-apikey"
 * ends like a complete one), so an ARN is granted as given and with the random suffix.
 */
function grantSecretRead(scope: Construct, id: string, secretId: string, role: IRole): void {
  if (!secretId.startsWith('arn:')) {
    Secret.fromSecretNameV2(scope, id, secretId).grantRead(role);
    return;
  }
  Secret.fromSecretCompleteArn(scope, `${id}-AsComplete`, secretId).grantRead(role);
  Secret.fromSecretPartialArn(scope, `${id}-AsPartial`, secretId).grantRead(role);
}

/**
 * Lets `role` decrypt with the customer-managed keys of the secrets, and only through Secrets
 * Manager in this stack's region: the key cannot be used to decrypt anything else directly.
 */
function grantSecretKeys(secrets: readonly RegistrySecret[], role: Role): void {
  const keyArns = [...new Set(secrets.flatMap(({ kmsKeyArn }) => (kmsKeyArn === undefined ? [] : [kmsKeyArn])))];
  if (keyArns.length === 0) return;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: keyArns,
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
}

/** Acknowledges a cdk-nag rule on the CloudFormation resource itself, the narrowest scope there is. */
function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct.node.defaultChild ?? construct).acknowledge({ id, reason });
}

/**
 * Watches Confluent Schema Registry schema exporters: a function run by EventBridge Scheduler reads the exporter
 * statuses, keeps state in DynamoDB and publishes alerts to SNS (email, Slack and Microsoft Teams through AWS Chatbot). CloudWatch
 * alarms watch the monitor itself, including a heartbeat that notices when it silently stops.
 */
export class ExporterMonitor extends Construct {
  /** The function that checks the registries (the bundle the package ships, dist/function). */
  public readonly function: LambdaFunction;
  /** Exporter state, open incidents and history. */
  public readonly table: TableV2;
  /** How many days history items stay in the table. */
  public readonly historyRetentionDays: number;
  /** Where alerts about exporters go. */
  public readonly topic: ITopic;
  /** Where the monitor's own alarms go (the alert topic unless `operationsTopic` was given). */
  public readonly operationsTopic: ITopic;
  /**
   * One schedule per registry with exporters to watch, by registry id: each runs the function every `schedule`
   * for its registry alone, so a slow, failing or very large registry never delays or fails another.
   */
  public readonly schedules: ReadonlyMap<string, Schedule>;
  /** Runs the scheduler could not hand to Lambda. */
  public readonly scheduleDeadLetterQueue: Queue;
  /** Asynchronous invocations that failed (the on-failure destination; they are not retried). */
  public readonly invocationFailureQueue: Queue;
  /** The AWS Chatbot Slack channel, when `slack` was given. */
  public readonly slackChannel?: SlackChannelConfiguration;
  /** The AWS Chatbot Microsoft Teams channel, when `teams` was given. */
  public readonly teamsChannel?: CfnMicrosoftTeamsChannelConfiguration;
  /** Alarms on the monitor itself; each notifies the operations topic on ALARM and on OK. */
  public readonly alarms: readonly Alarm[];
  /**
   * The metrics that tell whether the monitor works, and its exporters by condition per registry: the ones the
   * alarms and the dashboard read, for your own alarms or dashboards (cdk-monitoring-constructs' `monitorCustom`).
   */
  public readonly metrics: MonitorMetricFactory;
  /** The CloudWatch dashboard, unless `dashboard` was false. */
  public readonly dashboard?: Dashboard;
  /**
   * The `service` dimension of this monitor's metrics (namespace SchemaExporterMonitor) and the
   * service in its logs: unique to this construct, so two monitors in one account and region never
   * share a heartbeat or set off each other's alarms.
   */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ExporterMonitorProps) {
    super(scope, id);
    const resolved = resolveMonitorProps(props);
    this.serviceName = `${DEFAULT_SERVICE_NAME}-${Names.uniqueResourceName(this, { maxLength: 80, separator: '-' })}`;

    this.table = this.createTable(resolved);
    this.historyRetentionDays = resolved.historyRetentionDays;
    const ownTopic = props.existingTopic ? undefined : this.createTopic(props.topicEncryptionKey);
    this.topic = props.existingTopic ?? ownTopic!;
    this.operationsTopic = props.operationsTopic ?? this.topic;
    for (const email of resolved.notificationEmails) {
      const subscription = this.topic.addSubscription(new EmailSubscription(email));
      acknowledge(
        subscription,
        'Serverless-SNSRedrivePolicy',
        'SNS counts failed deliveries in NumberOfNotificationsFailed, which NotificationFailuresAlarm watches; an ' +
          'alert matters when it arrives, and a queue of undelivered ones would tell nothing the alarm does not.',
      );
    }

    this.invocationFailureQueue = this.createDeadLetterQueue('InvocationFailureQueue');
    this.scheduleDeadLetterQueue = this.createDeadLetterQueue('ScheduleDeadLetterQueue');

    const role = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Schema exporter monitor: reads its secrets and table, publishes alerts',
    });
    this.function = this.createFunction(resolved, role);
    this.grantFunction(resolved, role, props.topicEncryptionKey);

    // The schedule invokes an alias so that its role may invoke exactly that ARN (a grant on the function
    // itself also covers `function:*`), and the async settings live with the alias it invokes.
    const live = new Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: this.function.currentVersion,
      // the next scheduled run is the retry; a retried run would only overlap it
      retryAttempts: 0,
      // a run older than one interval has been superseded by the next one
      maxEventAge: resolved.schedule,
      onFailure: new SqsDestination(this.invocationFailureQueue),
    });
    this.schedules = new Map(
      resolved.watchedRegistryIds.map((registryId) => [
        registryId,
        new Schedule(this, `Schedule-${registryId}`, {
          description: `Runs the schema exporter monitor for registry ${registryId}`,
          schedule: ScheduleExpression.rate(resolved.schedule),
          target: new LambdaInvoke(live, {
            // lambda/handler.ts reads this registry alone
            input: ScheduleTargetInput.fromObject({ [SCHEDULED_REGISTRY_FIELD]: registryId }),
            retryAttempts: 2,
            maxEventAge: resolved.schedule,
            deadLetterQueue: this.scheduleDeadLetterQueue,
          }),
        }),
      ]),
    );

    this.metrics = new MonitorMetricFactory({
      serviceName: this.serviceName,
      function: this.function,
      invocationFailureQueue: this.invocationFailureQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      topic: this.topic,
    });
    const { metrics } = this;
    this.alarms = createMonitorAlarms(this, {
      metrics,
      actionTopic: this.operationsTopic,
      schedule: resolved.schedule,
      functionTimeout: resolved.functionTimeout,
    });
    this.allowAlarmsToPublish(ownTopic, props.operationsTopic === undefined ? props.topicEncryptionKey : undefined);
    if (resolved.dashboard) {
      this.dashboard = createMonitorDashboard(this, {
        metrics,
        registryIds: resolved.watchedRegistryIds,
        alarms: this.alarms,
        schedule: resolved.schedule,
        functionTimeout: resolved.functionTimeout,
      });
    }
    const chat = { topic: this.topic, alarms: this.alarms };
    if (resolved.slack) this.slackChannel = connectSlack(this, resolved.slack, chat);
    if (resolved.teams) this.teamsChannel = connectTeams(this, resolved.teams, chat);
  }

  private createTable(resolved: ResolvedMonitorProps): TableV2 {
    // TableV2 (AWS::DynamoDB::GlobalTable) is the current DynamoDB L2; starting on it avoids a later
    // Table -> TableV2 migration, which CloudFormation can only do by replacing or re-importing the table.
    return new TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // history items carry their expiry (epoch seconds)
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryptionV2.awsManagedKey(),
      globalSecondaryIndexes: [
        {
          // history across registries by day, for the CLI (see lambda/store/keys.ts)
          indexName: HISTORY_BY_DAY_INDEX,
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
          projectionType: ProjectionType.ALL,
        },
      ],
      removalPolicy: resolved.tableRemovalPolicy,
    });
  }

  private createTopic(key: IKey | undefined): Topic {
    // Without a customer-managed key the topic is not KMS-encrypted: the AWS-managed key alias/aws/sns would
    // lock the alarms out (its policy cannot let CloudWatch publish), and alerts hold nothing secret.
    return new Topic(this, 'AlertTopic', {
      displayName: 'Schema exporter alerts',
      enforceSSL: true,
      masterKey: key,
    });
  }

  private createDeadLetterQueue(id: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // the longest SQS allows: time to look at what failed
      retentionPeriod: Duration.days(14),
    });
    const reason = 'This queue is itself a dead-letter queue; nothing consumes it, an alarm reports any message in it.';
    acknowledge(queue, 'AwsSolutions-SQS3', reason);
    acknowledge(queue, 'Serverless-SQSRedrivePolicy', reason);
    return queue;
  }

  private createFunction(resolved: ResolvedMonitorProps, role: IRole): LambdaFunction {
    const logGroup = new LogGroup(this, 'FunctionLogs', {
      retention: resolved.logRetention,
      // it holds nothing that the retention period would not delete anyway
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // instead of AWSLambdaBasicExecutionRole, which may write to any log group
    logGroup.grantWrite(role);
    const fn = new LambdaFunction(this, 'Function', {
      description: 'Checks Confluent Schema Registry schema exporters and publishes alerts',
      code: functionCode(),
      handler: FUNCTION_HANDLER,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: resolved.memorySize,
      timeout: resolved.functionTimeout,
      // One run per registry at a time, and room for each to overlap its next one when it is slow: runs of one
      // registry may overlap safely (conditional writes and claims), but must not throttle another registry's.
      reservedConcurrentExecutions: RUNS_PER_REGISTRY * resolved.watchedRegistryIds.length,
      role,
      logGroup,
      environment: {
        [CONFIG_ENV]: resolved.configEnv,
        TABLE_NAME: this.table.tableName,
        TOPIC_ARN: this.topic.topicArn,
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      // superseded versions are not rolled back to; the alias always points at the current one
      currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY },
    });
    acknowledge(
      fn,
      'Serverless-LambdaDLQ',
      'Failed asynchronous invocations go to the on-failure destination of the live alias (an SQS queue with ' +
        'its own alarm), which also records the error; a DeadLetterConfig would receive the same events with less context.',
    );
    acknowledge(
      fn,
      'Serverless-LambdaTracing',
      'The handler has no X-Ray instrumentation; each run logs its timings and emits metrics (Powertools), and ' +
        'active tracing would need xray:PutTraceSegments on "*", which has no resource-level permissions.',
    );
    return fn;
  }

  /** Exactly what the function needs: its table, the alert topic (and key), each registry's secret. */
  private grantFunction(resolved: ResolvedMonitorProps, role: Role, topicKey: IKey | undefined): void {
    // The calls lambda/store makes, on the table only: the table grants would add every action of a kind and
    // `index/*`, and the function never reads the index (the CLI does).
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
    // Publish also covers PublishBatch. topic.grantPublish would add kms:GenerateDataKey*; SNS calls GenerateDataKey.
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    topicKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    for (const { registryId, secretId } of resolved.secrets) {
      grantSecretRead(this, `Secret-${registryId}`, secretId, role);
    }
    grantSecretKeys(resolved.secrets, role);
  }

  /**
   * A topic policy replaces SNS's default one, which is what lets same-account CloudWatch alarms publish; so the
   * created topic names this monitor's alarms, and a key for the alert topic must let CloudWatch use it.
   */
  private allowAlarmsToPublish(ownTopic: Topic | undefined, alertTopicKey: IKey | undefined): void {
    if (ownTopic && this.operationsTopic === ownTopic) {
      ownTopic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowThisMonitorsAlarms',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [ownTopic.topicArn],
          conditions: { ArnEquals: { 'aws:SourceArn': this.alarms.map((alarm) => alarm.alarmArn) } },
        }),
      );
    }
    if (!alertTopicKey) return;
    const { statementAdded } = alertTopicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        // in a key policy, "*" means this key
        resources: ['*'],
      }),
      true,
    );
    if (!statementAdded) {
      Annotations.of(this).addWarningV2(
        'schema-exporter-monitor:importedTopicKey',
        'topicEncryptionKey is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com ' +
          'kms:GenerateDataKey and kms:Decrypt on it, or the alarms cannot publish to the encrypted topic.',
      );
    }
  }
}
