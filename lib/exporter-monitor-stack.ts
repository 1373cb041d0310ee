import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ExporterMonitor } from './exporter-monitor.js';
import type { ExporterMonitorProps } from './exporter-monitor-props.js';

/** {@link ExporterMonitorProps} as plain values, as cdk.json or a config file can hold them: existing resources by ARN. */
export interface ExporterMonitorSettings extends Omit<ExporterMonitorProps, 'existingTopic' | 'operationsTopic' | 'topicEncryptionKey'> {
  /**
   * ARN of an existing topic to publish alerts to.
   *
   * @default - the stack creates a TLS-only topic
   */
  readonly existingTopicArn?: string;
  /**
   * ARN of a topic for the monitor's own alarms.
   *
   * @default - the alert topic
   */
  readonly operationsTopicArn?: string;
  /**
   * ARN of the customer-managed KMS key of the alert topic.
   *
   * @default - the created topic is not encrypted with KMS
   */
  readonly topicEncryptionKeyArn?: string;
}

export interface ExporterMonitorStackProps extends StackProps {
  /** What to monitor and where to send alerts. */
  readonly monitor: ExporterMonitorSettings;
}

/** The monitor as a deployable stack, with the names the AWS CLI needs as outputs. */
export class ExporterMonitorStack extends Stack {
  public readonly monitor: ExporterMonitor;

  constructor(scope: Construct, id: string, props: ExporterMonitorStackProps) {
    super(scope, id, { description: 'Monitors Confluent Schema Registry schema exporters (Schema Linking)', ...props });
    const { existingTopicArn, operationsTopicArn, topicEncryptionKeyArn, ...settings } = props.monitor;
    const imported = <T>(arn: string | undefined, load: (arn: string) => T): T | undefined =>
      arn === undefined ? undefined : load(arn);
    this.monitor = new ExporterMonitor(this, 'Monitor', {
      ...settings,
      existingTopic: imported(existingTopicArn, (arn) => Topic.fromTopicArn(this, 'ExistingTopic', arn)),
      operationsTopic: imported(operationsTopicArn, (arn) => Topic.fromTopicArn(this, 'OperationsTopic', arn)),
      topicEncryptionKey: imported(topicEncryptionKeyArn, (arn) => Key.fromKeyArn(this, 'TopicEncryptionKey', arn)),
    });

    const outputs: [id: string, value: string, description: string][] = [
      ['StackName', this.stackName, 'This stack, for aws cloudformation commands'],
      ['TableName', this.monitor.table.tableName, 'Exporter state and history'],
      ['HistoryRetentionDays', String(this.monitor.historyRetentionDays), 'Days history is kept; the operator CLI keeps what it adds to history as long'],
      ['TopicArn', this.monitor.topic.topicArn, 'Alerts; subscribe more endpoints here'],
      ['FunctionName', this.monitor.function.functionName, 'The monitor; aws lambda invoke runs it now'],
      ['InvocationFailureQueueUrl', this.monitor.invocationFailureQueue.queueUrl, 'Failed runs'],
      ['ScheduleDeadLetterQueueUrl', this.monitor.scheduleDeadLetterQueue.queueUrl, 'Runs the scheduler could not start'],
    ];
    for (const [outputId, value, description] of outputs) new CfnOutput(this, outputId, { value, description });
  }
}
