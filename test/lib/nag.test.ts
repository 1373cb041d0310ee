/**
 * cdk-nag 3 runs as a CDK validation plugin: acknowledged findings are left out of its report, and findings
 * are not annotations, so the tests read the packs' reports rather than `Annotations.fromStack`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Validations, type Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { ExporterMonitorProps } from '../../lib/exporter-monitor-props.js';
import { settingsFromAppConfig } from '../../lib/app-config.js';
import { ExporterMonitorStack } from '../../lib/exporter-monitor-stack.js';
import { BASIC_REGISTRY, OAUTH_REGISTRY, TEAMS_CHANNEL, cdkJsonContext, createApp, monitorStack } from './fixtures.js';

const packs = (): NagPack[] => [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })];

/** Every finding of both packs, errors and warnings, as `rule at path` (acknowledged ones too, if asked). */
function findings(stack: Stack, options: { includeAcknowledged?: boolean } = {}): string[] {
  return packs().flatMap((pack) => {
    if (options.includeAcknowledged) Object.assign(pack, { isAcknowledged: () => false });
    return pack
      .validateScope(stack)
      .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));
  });
}

const configurations: [string, (stack: Stack) => Partial<ExporterMonitorProps>][] = [
  ['the defaults', () => ({})],
  [
    'every option',
    (stack) => ({
      registries: [
        BASIC_REGISTRY,
        { ...OAUTH_REGISTRY, auth: { ...OAUTH_REGISTRY.auth!, secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
        { id: 'lab', baseUrl: 'http://localhost:8081', allowInsecureHttp: true },
      ],
      schedule: Duration.minutes(5),
      notificationEmails: ['oncall@example.com', 'platform@example.com'],
      slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' },
      teams: TEAMS_CHANNEL,
      topicEncryptionKey: new Key(stack, 'TopicKey', { enableKeyRotation: true }),
    }),
  ],
  [
    'existing topics',
    (stack) => ({
      existingTopic: Topic.fromTopicArn(stack, 'Alerts', 'arn:aws:sns:eu-west-1:123456789012:platform-alerts'),
      operationsTopic: new Topic(stack, 'OnCall', { enforceSSL: true }),
    }),
  ],
];

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  test.each(configurations)('%s: no unacknowledged error or warning', (_, props) => {
    expect(findings(monitorStack(props).stack)).toEqual([]);
  });

  test('acknowledges exactly these findings, each on its CloudFormation resource, with a reason', () => {
    const { stack } = monitorStack(configurations[1][1]);
    const acknowledged = stack.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .map(([id, reason]) => {
          // a reason says why, not just that
          expect(reason.length).toBeGreaterThan(60);
          return `${id.replace(/^Annotation::/, '')} at ${construct.node.path}`;
        }),
    );
    const expected = [
      'AwsSolutions-SQS3 at Test/Monitor/InvocationFailureQueue/Resource',
      'AwsSolutions-SQS3 at Test/Monitor/ScheduleDeadLetterQueue/Resource',
      'Serverless-LambdaDLQ at Test/Monitor/Function/Resource',
      'Serverless-LambdaTracing at Test/Monitor/Function/Resource',
      'Serverless-SNSRedrivePolicy at Test/Monitor/AlertTopic/oncall@example.com/Resource',
      'Serverless-SNSRedrivePolicy at Test/Monitor/AlertTopic/platform@example.com/Resource',
      'Serverless-SQSRedrivePolicy at Test/Monitor/InvocationFailureQueue/Resource',
      'Serverless-SQSRedrivePolicy at Test/Monitor/ScheduleDeadLetterQueue/Resource',
    ];
    expect(acknowledged.sort()).toEqual(expected);
    // and each of them is a finding the packs would otherwise report: nothing is acknowledged in advance
    expect(findings(stack, { includeAcknowledged: true }).sort()).toEqual(expected);
  });

  test('`cdk synth` of the app, with the packs registered as in bin/app.ts, reports nothing', () => {
    const app = createApp();
    new ExporterMonitorStack(app, 'SchemaExporterMonitor', { monitor: settingsFromAppConfig(cdkJsonContext.monitor) });
    Validations.of(app).addPlugins(...packs());
    // an error would throw here; warnings would be in the report
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});
